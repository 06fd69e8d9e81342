package org.rad.samples.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** The generated gradient of the reactor loss, on a reduced grid. */
class ReactorGradientTest {
  static final double[] THETA = {4.932, 0.0523650, 0.0646851, 0.0770119, 0.0523408, -0.0419167, -0.0315797};

  @Test
  void exactGradientMatchesCentralDifferencesToOneInAMillion() {
    int n = 8;
    int steps = 200;
    double dt = 1.0 / 4096;
    GradCheck.Function f = theta -> Reactor.loss(theta, n, steps, dt);
    GradCheck.Gradient g = (theta, grad) -> ReactorGrad.loss(theta, n, steps, dt, grad, RadContext.exact());
    // h = 1e-4: truncation error h^2 f''' / 6 is far below 1e-6 relative for this smooth loss,
    // and rounding error (1e-16 / h) is too.
    GradCheck.assertGradient(f, g, THETA.clone(), 1e-4, 1e-6, 0);
  }

  @Test
  void valueEqualsTheOriginalMethod() {
    double[] grad = new double[7];
    double value = ReactorGrad.loss(THETA.clone(), 8, 50, 1.0 / 4096, grad, RadContext.exact());
    assertEquals(Reactor.loss(THETA.clone(), 8, 50, 1.0 / 4096), value, 0.0);
  }

  /**
   * The yardstick: at most one double per interior cell per step, plus O(S) bytes (two reference
   * records per step for the buffer swap), plus the two field buffers the reverse sweep keeps.
   * The source term C is recomputed, never taped.
   */
  @Test
  void tapeHoldsOneDoublePerInteriorCellPerStep() {
    for (int[] size : new int[][] {{8, 64}, {12, 200}, {16, 100}}) {
      int n = size[0];
      int steps = size[1];
      RadContext ctx = RadContext.exact();
      ReactorGrad.loss(THETA.clone(), n, steps, 1.0 / 4096, new double[7], ctx);
      long cells = (long) (n - 1) * (n - 1);
      long buffers = 2 * (16 + 8L * (n + 1) + (n + 1) * (16 + 8L * (n + 1)));
      long bound = 8 * cells * steps + 32L * steps + buffers + 256;
      assertTrue(ctx.peakTapeBytes() <= bound, "n=" + n + " steps=" + steps + ": tape " + ctx.peakTapeBytes() + " > " + bound);
      assertTrue(ctx.peakTapeBytes() >= 8 * cells * steps, "the interior field of every step must be recorded");
    }
  }

  @Test
  void contextIsReusableAndGradientsAccumulate() {
    RadContext ctx = RadContext.exact();
    double[] once = new double[7];
    ReactorGrad.loss(THETA.clone(), 6, 30, 1.0 / 4096, once, ctx);
    double[] twice = new double[7];
    ReactorGrad.loss(THETA.clone(), 6, 30, 1.0 / 4096, twice, ctx);
    ReactorGrad.loss(THETA.clone(), 6, 30, 1.0 / 4096, twice, ctx);
    for (int k = 0; k < 7; k++) {
      assertEquals(2 * once[k], twice[k], 1e-12 * Math.abs(once[k]));
    }
  }
}
