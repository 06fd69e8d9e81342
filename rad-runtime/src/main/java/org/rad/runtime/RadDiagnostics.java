package org.rad.runtime;

import java.util.Locale;

/**
 * Measures a randomized gradient against the exact one: runs it once in {@link RadContext#exact()}
 * and {@code draws} times on one {@link RadContext#seeded(long)} context (fresh samples per call,
 * reproducible from the seed), and reports per-parameter mean, variance and standard error, and
 * the paper's relative error measures.
 *
 * <pre>{@code
 * RadDiagnostics.Report r = RadDiagnostics.measure(ctx -> {
 *   double[] g = new double[theta.length];
 *   ModelGrad.loss(theta, data, g, ctx);
 *   return g;
 * }, 100, 42);
 * System.out.println(r);
 * }</pre>
 */
public final class RadDiagnostics {
  private RadDiagnostics() {}

  /** A gradient computed with a given context: exact in an exact context, randomized in a seeded one. */
  @FunctionalInterface
  public interface RandomizedGradient {
    /**
     * The gradient, computed with {@code ctx}; the returned array is read before the next call,
     * so it may be reused.
     */
    double[] gradient(RadContext ctx);
  }

  /**
   * Runs {@code gradient} once with {@link RadContext#exact()} and {@code draws} times with one
   * {@code RadContext.seeded(seed)}, reused across the draws, and summarizes the draws.
   *
   * @throws IllegalArgumentException if {@code draws < 2} or a draw has another length than the
   *     exact gradient
   */
  public static Report measure(RandomizedGradient gradient, int draws, long seed) {
    return measure(gradient, draws, seed, RadContext.seeded(seed));
  }

  /**
   * Like {@link #measure(RandomizedGradient, int, long)}, drawing the randomized gradients with the
   * given context (for example one with {@link RadContext#withFraction}, or the biased
   * {@link RadContext#unscaledFixedPattern} estimator to measure its bias). {@code seed} is only
   * reported.
   */
  public static Report measure(RandomizedGradient gradient, int draws, long seed, RadContext randomized) {
    if (draws < 2) {
      throw new IllegalArgumentException("need at least 2 draws for a variance, got " + draws);
    }
    double[] exact = gradient.gradient(RadContext.exact()).clone();
    int n = exact.length;
    double exactNorm2 = squaredNorm(exact);
    double[] mean = new double[n];
    double[] m2 = new double[n];
    double sumRelativeSquaredError = 0;
    RadContext ctx = randomized;
    for (int t = 0; t < draws; t++) {
      double[] g = gradient.gradient(ctx);
      if (g.length != n) {
        throw new IllegalArgumentException(
            "draw " + t + " has " + g.length + " components, the exact gradient " + n);
      }
      double error2 = 0;
      for (int i = 0; i < n; i++) {
        double delta = g[i] - mean[i];
        mean[i] += delta / (t + 1);
        m2[i] += delta * (g[i] - mean[i]);
        double e = g[i] - exact[i];
        error2 += e * e;
      }
      sumRelativeSquaredError += relative(error2, exactNorm2);
    }
    double[] variance = new double[n];
    for (int i = 0; i < n; i++) {
      variance[i] = m2[i] / (draws - 1);
    }
    return new Report(seed, draws, exact, mean, variance, sumRelativeSquaredError / draws);
  }

  /** {@code error2 / exact2}; 0 for 0 / 0 and infinite for a nonzero error of a zero gradient. */
  static double relative(double error2, double exact2) {
    if (exact2 > 0) {
      return error2 / exact2;
    }
    return error2 == 0 ? 0 : Double.POSITIVE_INFINITY;
  }

  static double squaredNorm(double[] v) {
    double sum = 0;
    for (double x : v) {
      sum += x * x;
    }
    return sum;
  }

  /** What {@link #measure} found. Arrays returned are copies. */
  public static final class Report {
    private static final int SHOWN = 8;

    private final long seed;
    private final int draws;
    private final double[] exact;
    private final double[] mean;
    private final double[] variance;
    private final double relativeMeanSquaredError;

    Report(long seed, int draws, double[] exact, double[] mean, double[] variance, double relativeMeanSquaredError) {
      this.seed = seed;
      this.draws = draws;
      this.exact = exact;
      this.mean = mean;
      this.variance = variance;
      this.relativeMeanSquaredError = relativeMeanSquaredError;
    }

    /** The seed of the context the draws were taken with. */
    public long seed() {
      return seed;
    }

    /** The number of randomized gradients drawn. */
    public int draws() {
      return draws;
    }

    /** The number of parameters (gradient components). */
    public int size() {
      return exact.length;
    }

    /** The exact gradient. */
    public double[] exact() {
      return exact.clone();
    }

    /** Per parameter, the mean of the draws. */
    public double[] mean() {
      return mean.clone();
    }

    /** Per parameter, the unbiased sample variance of the draws (denominator {@code draws - 1}). */
    public double[] variance() {
      return variance.clone();
    }

    /** Per parameter, the standard error of the mean: {@code sqrt(variance / draws)}. */
    public double[] standardError() {
      double[] se = new double[variance.length];
      for (int i = 0; i < se.length; i++) {
        se[i] = Math.sqrt(variance[i] / draws);
      }
      return se;
    }

    /**
     * The mean over the draws of {@code ||g - g_exact||^2 / ||g_exact||^2}: the relative variance
     * (plus squared bias) of one randomized gradient, the measure of the paper's figure 5. Infinite
     * if the exact gradient is zero and a draw is not.
     */
    public double relativeMeanSquaredError() {
      return relativeMeanSquaredError;
    }

    /**
     * {@code ||mean - g_exact|| / ||g_exact||}: how far the average of the draws is from the exact
     * gradient; shrinks like {@code 1 / sqrt(draws)} for an unbiased estimator.
     */
    public double relativeErrorOfMean() {
      double error2 = 0;
      for (int i = 0; i < exact.length; i++) {
        double e = mean[i] - exact[i];
        error2 += e * e;
      }
      return Math.sqrt(relative(error2, squaredNorm(exact)));
    }

    /**
     * The largest {@code |mean - exact| / standardError} over the parameters whose draws vary: a
     * bias test (for an unbiased estimator each is roughly a standard normal, so values beyond 4 or
     * 5 point to a bias). Parameters whose draws are all equal (standard error 0) must equal the
     * exact value up to {@code 1e-12} times the largest exact component in magnitude, or the result
     * is infinite. 0 if there are no parameters.
     */
    public double maxStandardErrorsFromExact() {
      double scale = 0;
      for (double x : exact) {
        scale = Math.max(scale, Math.abs(x));
      }
      double[] se = standardError();
      double max = 0;
      for (int i = 0; i < exact.length; i++) {
        double deviation = Math.abs(mean[i] - exact[i]);
        if (se[i] > 0) {
          max = Math.max(max, deviation / se[i]);
        } else if (!(deviation <= 1e-12 * scale)) {
          return Double.POSITIVE_INFINITY;
        }
      }
      return max;
    }

    /** A summary and a table of the first few parameters. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder();
      s.append(String.format(Locale.ROOT, "RAD diagnostics: %d parameters, %d draws, seed %d%n", size(), draws, seed));
      s.append(String.format(Locale.ROOT, "  relative mean squared error E|g - g*|^2/|g*|^2  %.4g%n",
          relativeMeanSquaredError));
      s.append(String.format(Locale.ROOT, "  relative error of the mean  |mean - g*|/|g*|    %.4g%n",
          relativeErrorOfMean()));
      s.append(String.format(Locale.ROOT, "  max |mean - g*| / standard error               %.3g%n",
          maxStandardErrorsFromExact()));
      s.append(String.format(Locale.ROOT, "  %6s %14s %14s %12s %12s %9s%n",
          "i", "exact", "mean", "std dev", "std error", "z"));
      double[] se = standardError();
      int shown = Math.min(SHOWN, size());
      for (int i = 0; i < shown; i++) {
        double z = se[i] > 0 ? (mean[i] - exact[i]) / se[i] : 0;
        s.append(String.format(Locale.ROOT, "  %6d %14.6g %14.6g %12.4g %12.4g %9.2f%n",
            i, exact[i], mean[i], Math.sqrt(variance[i]), se[i], z));
      }
      if (size() > shown) {
        s.append(String.format(Locale.ROOT, "  ... %d more parameters%n", size() - shown));
      }
      return s.toString();
    }
  }
}
