package org.rad.samples.mlp;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** The generated gradient of the MLP loss on a small network, against central differences. */
class MlpGradientTest {
  @Test
  void exactGradientMatchesCentralDifferences() {
    int[] sizes = {6, 5, 4, 4, 3};
    MlpParams params = MlpParams.init(sizes, 7);
    SplittableRandom random = new SplittableRandom(11);
    double[][] x = new double[4][6];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble(0, 1);
      }
    }
    int[] labels = {0, 2, 1, 2};
    GradCheck.Function f = flat -> {
      MlpParams p = MlpParams.init(sizes, 7);
      p.assign(flat);
      return Mlp.loss(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels);
    };
    GradCheck.Gradient g = (flat, grad) -> {
      MlpParams p = MlpParams.init(sizes, 7);
      p.assign(flat);
      MlpParams bar = p.zeros();
      double value = MlpGrad.loss(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels,
          bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], RadContext.exact());
      double[] flatBar = bar.flatten();
      System.arraycopy(flatBar, 0, grad, 0, flatBar.length);
      return value;
    };
    // ReLU kinks are far from these random points with probability ~1; h = 1e-6 stays off them.
    GradCheck.assertGradient(f, g, params.flatten(), 1e-6, 1e-5, 1e-8);
  }
}
