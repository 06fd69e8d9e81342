package org.rad.runtime;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Checks a gradient against finite differences, for use in the tests of code that computes
 * gradients (generated or hand-written).
 *
 * <p>Typical use, with a class generated for a {@code @Differentiable} objective:
 *
 * <pre>{@code
 * GradCheck.assertGradient(
 *     x -> Model.loss(x),                       // f
 *     (x, grad) -> ModelGrad.loss(x, grad),     // returns f(x), accumulates df/dx into grad
 *     x0, 1e-6, 1e-6, 1e-8);
 * }</pre>
 *
 * <h2>What is compared</h2>
 *
 * <ul>
 *   <li>Every component of the analytic gradient {@code a_i} against the central difference
 *       {@code n_i = (f(x + h e_i) - f(x - h e_i)) / (2h)} ({@link #centralDifferences}).
 *   <li>The directional derivative {@code d . a} along one random unit direction {@code d}
 *       against {@code (f(x + h d) - f(x - h d)) / (2h)} ({@link #directionalDifference}). This
 *       catches errors that are small in each component but add up, and is the cheap check to
 *       use when {@code x} is too large for a full component check.
 *   <li>The value {@link Gradient#valueAndGradient} returns against {@code f(x)}.
 * </ul>
 *
 * <h2>The pass criterion</h2>
 *
 * A pair (analytic {@code a}, numeric {@code n}) agrees when
 *
 * <pre>{@code |a - n| <= absTol + relTol * max(|a|, |n|)}</pre>
 *
 * the usual mixed test: relative where the derivatives are large, absolute where they are near
 * zero (where a relative error is meaningless: a central difference of a zero derivative is
 * rounding noise of size about {@code eps * |f| / h}). NaN anywhere fails. A central difference
 * has truncation error {@code O(h^2 |f'''|)} and rounding error {@code O(eps |f| / h)}; with
 * {@code h} around {@code 1e-5 .. 1e-6} (times the scale of {@code x}) agreement to about
 * {@code 1e-6} relative is typical for smooth functions of moderate size. Near kinks
 * ({@code abs}, {@code max}, branches) within {@code h} of {@code x} the two legitimately disagree;
 * check at points away from them.
 *
 * <p>Nothing here mutates the caller's arrays: every evaluation of {@code f} and {@code g} gets its
 * own copy of the point, so functions that write into their argument are checked correctly too.
 */
public final class GradCheck {
  /** Step used by {@link #assertGradient(Function, Gradient, double[])}. */
  public static final double DEFAULT_STEP = 1e-5;
  /** Relative tolerance used by {@link #assertGradient(Function, Gradient, double[])}. */
  public static final double DEFAULT_REL_TOL = 1e-5;
  /** Absolute tolerance used by {@link #assertGradient(Function, Gradient, double[])}. */
  public static final double DEFAULT_ABS_TOL = 1e-7;
  /** Seed of the random direction when none is given. */
  public static final long DEFAULT_SEED = 0x5EED_6AD0_C4ECL;

  private GradCheck() {}

  /** A scalar function of a vector: the objective whose gradient is checked. */
  @FunctionalInterface
  public interface Function {
    /** {@code f(x)}. May read and even overwrite {@code x}, which is always a private copy. */
    double value(double[] x);
  }

  /** The code under test: the value and the gradient of the objective. */
  @FunctionalInterface
  public interface Gradient {
    /**
     * Returns {@code f(x)} and accumulates {@code df/dx} into {@code gradient}, which arrives
     * zeroed and has the length of {@code x}. Both arrays are private copies.
     */
    double valueAndGradient(double[] x, double[] gradient);
  }

  /**
   * The outcome of a {@link #check}.
   *
   * @param maxAbsError largest {@code |a_i - n_i|} over the components
   * @param maxRelError largest {@code |a_i - n_i| / max(|a_i|, |n_i|)} over the components (a
   *     component where both are exactly 0 has relative error 0); NaN if any component is NaN
   * @param worstIndex the component that fails the pass criterion by the widest margin: the
   *     largest {@code |a_i - n_i| / (1 + max(|a_i|, |n_i|))} (NaN components first); -1 when
   *     {@code x} is empty
   * @param analytic the gradient the {@link Gradient} produced
   * @param numeric the central differences
   * @param directionalAnalytic {@code d . analytic} for the random unit direction {@code d}
   * @param directionalNumeric the central difference of {@code f} along {@code d}
   * @param value {@code f(x)} as {@link Function#value} computes it
   * @param gradientValue {@code f(x)} as {@link Gradient#valueAndGradient} returns it
   */
  public record Report(
      double maxAbsError,
      double maxRelError,
      int worstIndex,
      double[] analytic,
      double[] numeric,
      double directionalAnalytic,
      double directionalNumeric,
      double value,
      double gradientValue) {

    /** Copies the arrays, so a report does not change when the caller's arrays do. */
    public Report {
      analytic = analytic.clone();
      numeric = numeric.clone();
      if (analytic.length != numeric.length) {
        throw new IllegalArgumentException(
            "analytic has " + analytic.length + " components, numeric " + numeric.length);
      }
    }

    /** A report without a value comparison (both values 0). */
    public Report(
        double maxAbsError,
        double maxRelError,
        int worstIndex,
        double[] analytic,
        double[] numeric,
        double directionalAnalytic,
        double directionalNumeric) {
      this(maxAbsError, maxRelError, worstIndex, analytic, numeric, directionalAnalytic,
          directionalNumeric, 0, 0);
    }

    /** A copy of the analytic gradient. */
    @Override
    public double[] analytic() {
      return analytic.clone();
    }

    /** A copy of the central differences. */
    @Override
    public double[] numeric() {
      return numeric.clone();
    }

    /**
     * Whether every component, the directional derivative and the value agree: {@code |a - n| <=
     * absTol + relTol * max(|a|, |n|)} for each pair. NaN anywhere fails.
     */
    public boolean passes(double relTol, double absTol) {
      return firstFailure(relTol, absTol) == null;
    }

    /** A description of the first pair that fails, or null when all pass. */
    String firstFailure(double relTol, double absTol) {
      for (int i = 0; i < analytic.length; i++) {
        if (!agree(analytic[i], numeric[i], relTol, absTol)) {
          return "component " + i + ": analytic " + analytic[i] + " vs numeric " + numeric[i];
        }
      }
      if (!agree(directionalAnalytic, directionalNumeric, relTol, absTol)) {
        return "directional derivative: analytic " + directionalAnalytic + " vs numeric "
            + directionalNumeric;
      }
      if (!agree(gradientValue, value, relTol, absTol)) {
        return "value: the gradient code returned " + gradientValue + " but f(x) = " + value;
      }
      return null;
    }

    /** A one-line summary naming the worst component. */
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder("GradCheck.Report[n=").append(analytic.length);
      s.append(", maxAbsError=").append(maxAbsError);
      s.append(", maxRelError=").append(maxRelError);
      if (worstIndex >= 0) {
        s.append(", worst component ").append(worstIndex)
            .append(": analytic=").append(analytic[worstIndex])
            .append(" numeric=").append(numeric[worstIndex]);
      }
      s.append(", directional: analytic=").append(directionalAnalytic)
          .append(" numeric=").append(directionalNumeric);
      s.append(", value: f=").append(value).append(" gradient code=").append(gradientValue);
      return s.append(']').toString();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Report r
          && Double.compare(maxAbsError, r.maxAbsError) == 0
          && Double.compare(maxRelError, r.maxRelError) == 0
          && worstIndex == r.worstIndex
          && Arrays.equals(analytic, r.analytic)
          && Arrays.equals(numeric, r.numeric)
          && Double.compare(directionalAnalytic, r.directionalAnalytic) == 0
          && Double.compare(directionalNumeric, r.directionalNumeric) == 0
          && Double.compare(value, r.value) == 0
          && Double.compare(gradientValue, r.gradientValue) == 0;
    }

    @Override
    public int hashCode() {
      int h = Double.hashCode(maxAbsError);
      h = 31 * h + Double.hashCode(maxRelError);
      h = 31 * h + worstIndex;
      h = 31 * h + Arrays.hashCode(analytic);
      h = 31 * h + Arrays.hashCode(numeric);
      h = 31 * h + Double.hashCode(directionalAnalytic);
      h = 31 * h + Double.hashCode(directionalNumeric);
      h = 31 * h + Double.hashCode(value);
      return 31 * h + Double.hashCode(gradientValue);
    }
  }

  /**
   * Whether {@code a} and {@code n} agree: {@code |a - n| <= absTol + relTol * max(|a|, |n|)}.
   * False when either is NaN, and when both are the same infinity (nothing can be said there).
   */
  public static boolean agree(double a, double n, double relTol, double absTol) {
    double diff = Math.abs(a - n);
    return diff <= absTol + relTol * Math.max(Math.abs(a), Math.abs(n));
  }

  /**
   * The central-difference gradient of {@code f} at {@code x}: component i is {@code (f(x + h
   * e_i) - f(x - h e_i)) / (x_i^+ - x_i^-)}, where {@code x_i^± = x_i ± h} as rounded to doubles
   * (so the divisor is the step actually taken, {@code 2h} up to rounding). {@code x} is not
   * modified; {@code f} sees a fresh copy at every evaluation.
   *
   * @param h the step, positive and finite; pick it relative to the scale of {@code x}
   */
  public static double[] centralDifferences(Function f, double[] x, double h) {
    checkStep(h);
    double[] numeric = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      double plus = x[i] + h;
      double minus = x[i] - h;
      double[] point = x.clone();
      point[i] = plus;
      double fPlus = f.value(point);
      point = x.clone();
      point[i] = minus;
      double fMinus = f.value(point);
      numeric[i] = (fPlus - fMinus) / (plus - minus);
    }
    return numeric;
  }

  /**
   * The central difference of {@code f} at {@code x} along {@code d}: {@code (f(x + h d) - f(x - h
   * d)) / (2h)}, an approximation of the directional derivative {@code d . grad f(x)}. Neither
   * array is modified.
   *
   * @param d the direction, as long as {@code x}; it is not normalized here
   * @param h the step, positive and finite
   */
  public static double directionalDifference(Function f, double[] x, double[] d, double h) {
    checkStep(h);
    if (d.length != x.length) {
      throw new IllegalArgumentException(
          "direction has " + d.length + " components but x has " + x.length);
    }
    double[] plus = new double[x.length];
    double[] minus = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      plus[i] = x[i] + h * d[i];
      minus[i] = x[i] - h * d[i];
    }
    double fPlus = f.value(plus);
    double fMinus = f.value(minus);
    return (fPlus - fMinus) / (2 * h);
  }

  /**
   * A random unit vector of length {@code n}, drawn from {@code SplittableRandom(seed)}: standard
   * normal components (Box-Muller) normalized, so the direction is uniform on the sphere. Empty
   * for {@code n == 0}.
   */
  public static double[] randomDirection(int n, long seed) {
    double[] d = new double[n];
    if (n == 0) {
      return d;
    }
    SplittableRandom random = new SplittableRandom(seed);
    double norm2;
    do {
      for (int i = 0; i < n; i++) {
        double u1 = 1.0 - random.nextDouble(); // in (0, 1], so the log is finite
        double u2 = random.nextDouble();
        d[i] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      }
      norm2 = 0;
      for (double v : d) {
        norm2 += v * v;
      }
    } while (norm2 == 0);
    double inv = 1 / Math.sqrt(norm2);
    for (int i = 0; i < n; i++) {
      d[i] *= inv;
    }
    return d;
  }

  /**
   * Compares {@code g}'s gradient at {@code x} with central differences of {@code f}, component by
   * component and along one random direction drawn from {@code seed}; see the class comment for
   * the measures. {@code x} is not modified.
   *
   * @param h the finite-difference step, positive and finite
   * @param seed seeds the random direction (the check is deterministic for a given seed)
   */
  public static Report check(Function f, Gradient g, double[] x, double h, long seed) {
    checkStep(h);
    int n = x.length;
    double[] analytic = new double[n];
    double gradientValue = g.valueAndGradient(x.clone(), analytic);
    double value = f.value(x.clone());
    double[] numeric = centralDifferences(f, x, h);

    double maxAbs = 0;
    double maxRel = 0;
    int worst = n == 0 ? -1 : 0;
    double worstScore = -1;
    for (int i = 0; i < n; i++) {
      double a = analytic[i];
      double num = numeric[i];
      double diff = Math.abs(a - num);
      double scale = Math.max(Math.abs(a), Math.abs(num));
      double score;
      if (Double.isNaN(diff)) {
        maxAbs = Double.NaN;
        maxRel = Double.NaN;
        score = Double.POSITIVE_INFINITY;
      } else {
        double rel = diff == 0 ? 0 : diff / scale; // diff > 0 implies scale > 0
        if (!Double.isNaN(maxAbs)) {
          maxAbs = Math.max(maxAbs, diff);
          maxRel = Math.max(maxRel, rel); // NaN (inf / inf) propagates
        }
        score = Double.isInfinite(diff) ? Double.MAX_VALUE : diff / (1 + scale);
      }
      if (score > worstScore) {
        worstScore = score;
        worst = i;
      }
    }

    double[] d = randomDirection(n, seed);
    double directionalAnalytic = 0;
    for (int i = 0; i < n; i++) {
      directionalAnalytic += d[i] * analytic[i];
    }
    double directionalNumeric = n == 0 ? 0 : directionalDifference(f, x, d, h);
    return new Report(maxAbs, maxRel, worst, analytic, numeric, directionalAnalytic,
        directionalNumeric, value, gradientValue);
  }

  /**
   * {@link #check} with {@link #DEFAULT_SEED}, then throws an {@link AssertionError} carrying the
   * report when any component, the directional derivative or the returned value fails {@code |a -
   * n| <= absTol + relTol * max(|a|, |n|)}.
   */
  public static void assertGradient(
      Function f, Gradient g, double[] x, double h, double relTol, double absTol) {
    assertGradient(f, g, x, h, relTol, absTol, DEFAULT_SEED);
  }

  /** {@link #assertGradient(Function, Gradient, double[], double, double, double)} with a seed. */
  public static void assertGradient(
      Function f, Gradient g, double[] x, double h, double relTol, double absTol, long seed) {
    if (!(relTol >= 0) || !(absTol >= 0)) {
      throw new IllegalArgumentException("tolerances must be >= 0: relTol=" + relTol + ", absTol=" + absTol);
    }
    Report report = check(f, g, x, h, seed);
    String failure = report.firstFailure(relTol, absTol);
    if (failure != null) {
      throw new AssertionError("gradient check failed (relTol=" + relTol + ", absTol=" + absTol
          + ") at " + failure + "; " + report);
    }
  }

  /**
   * {@link #assertGradient(Function, Gradient, double[], double, double, double)} with {@link
   * #DEFAULT_STEP}, {@link #DEFAULT_REL_TOL} and {@link #DEFAULT_ABS_TOL}, which suit smooth
   * functions with {@code x} and {@code f} of order 1.
   */
  public static void assertGradient(Function f, Gradient g, double[] x) {
    assertGradient(f, g, x, DEFAULT_STEP, DEFAULT_REL_TOL, DEFAULT_ABS_TOL);
  }

  private static void checkStep(double h) {
    if (!(h > 0) || Double.isInfinite(h)) {
      throw new IllegalArgumentException("the step h must be positive and finite, got " + h);
    }
  }
}
