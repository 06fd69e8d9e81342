package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: a function of about 40 floating-point operations whose gradient is taken once per
 * data point, a million times: what one gradient call costs beyond its arithmetic (issue 11's
 * "cheap call": within 5x its primal). A two-layer perceptron on four inputs with two hidden
 * units, squashed by {@code u / sqrt(1 + u^2)}, its second layer computed in place.
 */
public final class SmallFunction {
  private SmallFunction() {}

  static double squash(double u) {
    return u / Math.sqrt(1 + u * u);
  }

  /** The network's output for input {@code x} (4 values) under weights {@code w} (14 values). */
  @Differentiable(wrt = "w")
  public static double tiny(double[] w, double[] x) {
    double[] h = new double[2];
    h[0] = squash(w[0] * x[0] + w[1] * x[1] + w[2] * x[2] + w[3] * x[3]);
    h[1] = squash(w[4] * x[0] + w[5] * x[1] + w[6] * x[2] + w[7] * x[3]);
    // the second layer overwrites the first's values (h[1] reads the new h[0], as written)
    h[0] = squash(w[8] * h[0] + w[9] * h[1]);
    h[1] = squash(w[10] * h[0] + w[11] * h[1]);
    return w[12] * h[0] + w[13] * h[1];
  }
}
