package org.rad.gradbench.evals;

/** Made-up inputs for warming a module up ({@link org.rad.gradbench.EvalModule#warmUpInputs}). */
final class WarmUp {

  private WarmUp() {}

  /** A deterministic pseudo-random vector in [-1, 1). */
  static double[] vector(int n, long seed) {
    java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = 2 * random.nextDouble() - 1;
    }
    return v;
  }

  static double[][] matrix(int rows, int cols, long seed) {
    double[][] m = new double[rows][];
    for (int i = 0; i < rows; i++) {
      m[i] = vector(cols, seed + i);
    }
    return m;
  }
}
