package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** The ADBench LSTM's generated gradient against central differences, at l = 2, c = 6, b = 3. */
class LstmTest {
  static final int L = 2;
  static final int C = 6;
  static final int B = 3;

  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(2);
    double[] state = ZooData.uniform(random, 2 * B * L, -1, 1);
    double[] sequence = ZooData.uniform(random, C * B, 0, 1);
    int mainLength = 8 * B * L;
    double[] params = ZooData.uniform(random, mainLength + 3 * B, -1, 1);
    double[] stateBefore = state.clone();
    GradCheck.assertGradient(
        p -> Lstm.objective(L, C, B, java.util.Arrays.copyOf(p, mainLength),
            java.util.Arrays.copyOfRange(p, mainLength, p.length), state, sequence),
        (p, grad) -> {
          double[] mainBar = new double[mainLength];
          double[] extraBar = new double[3 * B];
          double value = LstmGrad.objective(L, C, B, java.util.Arrays.copyOf(p, mainLength),
              java.util.Arrays.copyOfRange(p, mainLength, p.length), state, sequence, mainBar, extraBar, RadContext.exact());
          System.arraycopy(mainBar, 0, grad, 0, mainLength);
          System.arraycopy(extraBar, 0, grad, mainLength, 3 * B);
          return value;
        }, params, 1e-6, 1e-6, 1e-9);
    org.junit.jupiter.api.Assertions.assertArrayEquals(stateBefore, state, 0.0, "the state is taken by value, as in the C++");
  }
}
