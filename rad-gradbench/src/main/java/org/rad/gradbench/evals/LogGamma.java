package org.rad.gradbench.evals;

/**
 * log Gamma(x) for x > 0 (C's {@code lgamma}, which Java lacks): Lanczos' approximation (g = 7,
 * 9 coefficients), relative error near 1e-15 for x >= 0.5; gmm only asks for x >= 1. Public
 * because rad lets a differentiated method call only public static methods of other classes.
 */
public final class LogGamma {

  private static final double[] COEFFICIENTS = {
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
    1.5056327351493116e-7
  };

  private LogGamma() {}

  /** log Gamma(x), x >= 0.5. */
  public static double of(double x) {
    if (!(x >= 0.5)) {
      throw new IllegalArgumentException("log Gamma of " + x + " (only x >= 0.5 is implemented)");
    }
    double z = x - 1;
    double sum = COEFFICIENTS[0];
    for (int i = 1; i < COEFFICIENTS.length; i++) {
      sum += COEFFICIENTS[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
  }
}
