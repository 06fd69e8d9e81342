package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.rad.runtime.RadContext;

/**
 * The statistical check of the {@code @Randomize} regression tests: the mean of {@code n}
 * randomized gradients from one seeded context lies within 5 standard errors of the exact
 * gradient in every component (a false alarm has probability below 1e-6 per component).
 */
final class SeededMeans {
  private SeededMeans() {}

  /** One gradient call: adds the gradient into {@code g} with context {@code ctx}. */
  interface Gradient {
    void into(double[] g, RadContext ctx) throws Exception;
  }

  static void assertUnbiased(int components, int n, long seed, Gradient gradient) throws Exception {
    double[] exact = new double[components];
    gradient.into(exact, RadContext.exact());
    double[] sum = new double[components];
    double[] sumSq = new double[components];
    RadContext ctx = RadContext.seeded(seed);
    for (int r = 0; r < n; r++) {
      double[] g = new double[components];
      gradient.into(g, ctx);
      for (int k = 0; k < components; k++) {
        sum[k] += g[k];
        sumSq[k] += g[k] * g[k];
      }
    }
    for (int k = 0; k < components; k++) {
      double mean = sum[k] / n;
      double se = Math.sqrt(Math.max(sumSq[k] / n - mean * mean, 0) / n);
      assertTrue(Math.abs(mean - exact[k]) <= 5 * se + 1e-12, "component " + k + ": mean " + mean + ", exact "
          + exact[k] + ", standard error " + se);
    }
  }
}
