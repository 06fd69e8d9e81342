package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** The functional-style Runge-Kutta and the Godunov scheme: generated gradients against central differences. */
class UserStylesTest {
  @Test
  void rk4GradientMatchesCentralDifferences() {
    double[] y0 = {1.5, 0.8};
    double[] p = {1.1, 0.4, 0.1, 0.4};
    // 200 steps of 0.01: rates of order 1, loss of order 1; h = 1e-6: truncation ~1e-12
    GradCheck.assertGradient(q -> Rk4.loss(q, y0, 200, 0.01),
        (q, grad) -> Rk4Grad.loss(q, y0, 200, 0.01, grad, RadContext.exact()), p, 1e-6, 1e-6, 1e-9);
  }

  @Test
  void burgersGradientMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(5);
    double[] u0 = new double[24];
    for (int i = 0; i < u0.length; i++) {
      u0[i] = Math.sin(2 * Math.PI * i / u0.length) + 0.5 + 0.05 * random.nextDouble();
    }
    // 12 steps: shocks and rarefactions, both signs of the flux; the flux is piecewise smooth, and
    // the random offsets keep every interface away from its kinks (ul = ur, ul = 0, ur = 0)
    GradCheck.assertGradient(u -> Burgers.loss(u, 12, 0.4),
        (u, grad) -> BurgersGrad.loss(u, 12, 0.4, grad, RadContext.exact()), u0, 1e-7, 1e-5, 1e-8);
  }
}
