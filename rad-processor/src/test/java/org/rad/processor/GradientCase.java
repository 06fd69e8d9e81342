package org.rad.processor;

import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * One differentiable function of a compiled test class and how to check it: where to draw its
 * arguments (receiver first for instance methods), which arguments to differentiate (indices into
 * the argument list), at how many points, and the step and tolerance of the finite differences.
 */
public record GradientCase(String method, Function<SplittableRandom, Object[]> draw, int[] wrt, int points, double h, double tol) {
  /** Defaults: 5 points, step 1e-6, tolerance 1e-6 (relative to max(1, |g|)). */
  public static GradientCase of(String method, Function<SplittableRandom, Object[]> draw, int... wrt) {
    return new GradientCase(method, draw, wrt, 5, 1e-6, 1e-6);
  }

  public GradientCase tolerance(double step, double tolerance) {
    return new GradientCase(method, draw, wrt, points, step, tolerance);
  }

  public GradientCase points(int n) {
    return new GradientCase(method, draw, wrt, n, h, tol);
  }

  public GradientHarness harness(Class<?> user, Class<?> grad) {
    return new GradientHarness(user, grad, method, wrt);
  }

  /** Runs {@link GradientHarness#check} on this case. */
  public void check(Class<?> user, Class<?> grad) {
    harness(user, grad).check(draw, points, h, tol);
  }

  @Override
  public String toString() {
    return method;
  }

  // ---- argument generators ---------------------------------------------------------------------

  public static double[] vector(SplittableRandom r, int n, double lo, double hi) {
    return r.doubles(n, lo, hi).toArray();
  }

  public static double[][] matrix(SplittableRandom r, int rows, int cols, double lo, double hi) {
    double[][] m = new double[rows][];
    for (int i = 0; i < rows; i++) {
      m[i] = vector(r, cols, lo, hi);
    }
    return m;
  }
}
