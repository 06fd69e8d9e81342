package org.rad.samples.zoo;

/**
 * {@code lgamma}, which C++ has and {@code java.lang.Math} lacks, for the constant of
 * {@link Gmm}'s Wishart prior. A class of its own because rad reads every method of a
 * {@code @Differentiable} method's class that it calls, and rejects the recursion of the
 * reflection formula ({@code [RadRecursion]}) even though the argument carries no derivative;
 * a public static call into another class with such arguments just runs.
 */
public final class LogGamma {
  private LogGamma() {}

  /** log Gamma(x) (Lanczos, g = 7, nine terms: about 15 digits; the reflection formula below 1/2). */
  public static double of(double x) {
    double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
        -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
        1.5056327351493116e-7};
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - of(1 - x);
    }
    double z = x - 1;
    double s = c[0];
    for (int i = 1; i < 9; i++) {
      s += c[i] / (z + i);
    }
    double t = z + 7.5;
    return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
  }
}
