package org.rad.gradbench.evals;

import org.rad.annotations.Differentiable;

/**
 * GradBench's llsq eval: half the squared residual of fitting the polynomial with coefficients x
 * to s_i = sign(t_i) at n points t_i = -1 + 2i/(n-1).
 */
public final class Llsq {

  private Llsq() {}

  @Differentiable(wrt = "x")
  public static double residual(double[] x, int n) {
    double sum = 0;
    for (int i = 0; i < n; i++) {
      double ti = t(i, n);
      double inner = Math.signum(ti);
      double mul = 1;
      for (int j = 0; j < x.length; j++) {
        inner -= x[j] * mul;
        mul *= ti;
      }
      sum += inner * inner;
    }
    return sum / 2;
  }

  static double t(int i, int n) {
    return -1 + i * 2.0 / (n - 1);
  }
}
