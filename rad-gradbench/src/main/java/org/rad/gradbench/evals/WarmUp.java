package org.rad.gradbench.evals;

/** Runs code on made-up inputs long enough for the JIT to compile it (C2 included). */
final class WarmUp {

  private WarmUp() {}

  /** Runs each body in turn, round after round, until {@code millis} have passed. */
  static void run(long millis, Runnable... bodies) {
    long end = System.nanoTime() + millis * 1_000_000;
    do {
      for (Runnable body : bodies) {
        body.run();
      }
    } while (System.nanoTime() < end);
  }

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
