package org.rad.gradbench.evals;

import org.rad.annotations.Differentiable;

/** GradBench's hello eval: {@code square} and its derivative {@code double}. */
public final class Hello {

  private Hello() {}

  @Differentiable
  public static double square(double x) {
    return x * x;
  }
}
