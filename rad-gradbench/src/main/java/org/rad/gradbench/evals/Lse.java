package org.rad.gradbench.evals;

import org.rad.annotations.Differentiable;

/** GradBench's lse eval: log(sum(exp(x))), shifted by the maximum for stability. */
public final class Lse {

  private Lse() {}

  @Differentiable
  public static double logSumExp(double[] x) {
    double a = x[0];
    for (int i = 1; i < x.length; i++) {
      a = Math.max(a, x[i]);
    }
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.exp(x[i] - a);
    }
    return Math.log(s) + a;
  }
}
