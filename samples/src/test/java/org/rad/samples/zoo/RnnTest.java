package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** The vanilla RNN's generated gradient against central differences, at H = 4, X = 3, T = 7. */
class RnnTest {
  static final int H = 4;
  static final int X = 3;
  static final int T = 7;

  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(1);
    double[][] xs = ZooData.uniform(random, T, X, -1, 1);
    double[][] ys = ZooData.uniform(random, T, H, -0.5, 0.5);
    double[] params = ZooData.uniform(random, H * H + H * X + H, -0.6, 0.6);
    // h = 1e-6 on values and weights of order 1: truncation ~1e-12, rounding ~1e-10
    GradCheck.assertGradient(p -> Rnn.loss(block(p, 0, H, H), block(p, H * H, H, X), block(p, H * H + H * X, 1, H)[0], xs, ys),
        (p, grad) -> {
          double[][] wBar = new double[H][H];
          double[][] uBar = new double[H][X];
          double[] bBar = new double[H];
          double value = RnnGrad.loss(block(p, 0, H, H), block(p, H * H, H, X), block(p, H * H + H * X, 1, H)[0], xs, ys,
              wBar, uBar, bBar, RadContext.exact());
          unblock(wBar, grad, 0);
          unblock(uBar, grad, H * H);
          System.arraycopy(bBar, 0, grad, H * H + H * X, H);
          return value;
        }, params, 1e-6, 1e-6, 1e-9);
  }

  /** rows x cols values of p from offset, row by row. */
  static double[][] block(double[] p, int offset, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(p, offset + i * cols, m[i], 0, cols);
    }
    return m;
  }

  static void unblock(double[][] m, double[] p, int offset) {
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, p, offset + i * m[i].length, m[i].length);
    }
  }
}
