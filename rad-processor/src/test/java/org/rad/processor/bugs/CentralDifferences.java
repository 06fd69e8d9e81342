package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The finite-difference check of the regression tests that compare one gradient with central
 * differences (step 1e-6): each component within {@code relative} of the difference quotient,
 * relative to max(1, |quotient|).
 */
final class CentralDifferences {
  private CentralDifferences() {}

  /** The function, of the components checked. */
  interface Function {
    double at(double[] x) throws Exception;
  }

  static void assertMatches(Function f, double[] x, double[] gradient, double relative) throws Exception {
    for (int k = 0; k < x.length; k++) {
      double h = 1e-6;
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[k] += h;
      minus[k] -= h;
      double fd = (f.at(plus) - f.at(minus)) / (2 * h);
      assertEquals(fd, gradient[k], relative * Math.max(1, Math.abs(fd)), "component " + k);
    }
  }
}
