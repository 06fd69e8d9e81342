package org.rad.samples.zoo;

import java.util.SplittableRandom;

/** Seeded synthetic inputs of the zoo entries. */
final class ZooData {
  private ZooData() {}

  /** A rows x cols matrix of values drawn from U(lo, hi). */
  static double[][] uniform(SplittableRandom random, int rows, int cols, double lo, double hi) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = random.nextDouble(lo, hi);
      }
    }
    return m;
  }

  /** n values drawn from U(lo, hi). */
  static double[] uniform(SplittableRandom random, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = random.nextDouble(lo, hi);
    }
    return v;
  }
}
