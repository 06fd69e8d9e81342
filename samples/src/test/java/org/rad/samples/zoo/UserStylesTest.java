package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/**
 * The functional-style Runge-Kutta, the Godunov scheme, the n-body problem and soft-DTW: generated
 * gradients against central differences.
 */
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

  @Test
  void nbodyGradientMatchesCentralDifferences() {
    double[][] x0 = {{1, 0}, {-0.5, 0.8}, {-0.5, -0.8}, {0.2, 0.1}};
    double[] mass = {0.5, 0.6, 0.7, 0.4};
    double[] v = {0, 0.4, -0.3, -0.2, 0.3, 0.2, 0.05, -0.1};
    // 300 steps of 0.002: smooth (softened) forces, loss of order 1
    GradCheck.assertGradient(q -> NBody.miss(x0, rows(q), mass, 300, 0.002, 1.0, 0.5),
        (q, grad) -> {
          double[][] gv = new double[4][2];
          double value = NBodyGrad.miss(x0, rows(q), mass, 300, 0.002, 1.0, 0.5, gv, new double[4], RadContext.exact());
          for (int i = 0; i < 4; i++) {
            grad[2 * i] += gv[i][0];
            grad[2 * i + 1] += gv[i][1];
          }
          return value;
        }, v, 1e-6, 1e-6, 1e-9);
    GradCheck.assertGradient(q -> NBody.miss(x0, rows(v), q, 300, 0.002, 1.0, 0.5),
        (q, grad) -> NBodyGrad.miss(x0, rows(v), q, 300, 0.002, 1.0, 0.5, new double[4][2], grad, RadContext.exact()),
        mass, 1e-6, 1e-6, 1e-9);
  }

  private static double[][] rows(double[] flat) {
    double[][] m = new double[flat.length / 2][2];
    for (int i = 0; i < m.length; i++) {
      m[i][0] = flat[2 * i];
      m[i][1] = flat[2 * i + 1];
    }
    return m;
  }

  @Test
  void softDtwGradientMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(11);
    double[] x = new double[12];
    double[] y = new double[15];
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.sin(0.5 * i) + 0.2 * random.nextDouble();
    }
    for (int i = 0; i < y.length; i++) {
      y[i] = Math.sin(0.4 * i);
    }
    // gamma = 0.5 keeps the soft minimum smooth at the scale of the steps
    GradCheck.assertGradient(q -> SoftDtw.distance(q, y, 0.5),
        (q, grad) -> SoftDtwGrad.distance(q, y, 0.5, grad, RadContext.exact()), x, 1e-6, 1e-6, 1e-9);
  }
}
