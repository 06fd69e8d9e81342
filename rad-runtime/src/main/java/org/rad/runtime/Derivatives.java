package org.rad.runtime;

/**
 * Partial derivatives that generated reverse sweeps call where the plain formula would be wrong or
 * not a number at a point. The conventions, in one place:
 *
 * <ul>
 *   <li>At a kink the derivative is the one-sided one named here: {@code abs'(0) = 0},
 *       {@code signum' = floor' = ceil' = rint' = 0}; {@code max(a, b)} sends the adjoint to
 *       {@code a} when {@code a >= b} (ties go to the first argument), {@code min(a, b)} to
 *       {@code a} when {@code a <= b}.
 *   <li>{@code d pow(x, y) / dy = 0} where {@code x == 0} (the true limit for y &gt; 0), and
 *       {@code d pow(x, y) / dx = 0} where {@code y == 0}.
 *   <li>{@code atan2} and {@code hypot} have derivative 0 at the origin.
 *   <li>{@link #times(double, double)}: an adjoint of exactly 0 times any partial is 0, so an
 *       infinite partial of a value that does not reach the result leaks no NaN.
 * </ul>
 *
 * <p>Which function's partial calls which method is stated once, in the processor's table
 * {@code org.rad.processor.ir.MathRules}; each method has a C twin {@code rad_d_<name>} in the
 * generated CUDA modules' prelude, computing the same (the processor's MathRulesTest checks both).
 */
public final class Derivatives {
  private Derivatives() {}

  /** {@code adjoint * partial}, but 0 when the adjoint is 0 even if the partial is infinite. */
  public static double times(double adjoint, double partial) {
    return adjoint == 0 ? 0 : adjoint * partial;
  }

  /**
   * {@code adjoint * partial}, but 0 when the adjoint is 0 and the partial is infinite or not a
   * number: the number {@link #times} gives (up to the sign of a zero), from a test of the partial
   * instead of the adjoint. A partial is finite in all but pathological data, so its test goes the
   * same way every time, where an adjoint is 0 as often as the data make it (a randomized record
   * restores most values as 0). The processor's {@code GuardOperands} chooses between the two.
   */
  public static double scaled(double adjoint, double partial) {
    return Math.abs(partial) <= Double.MAX_VALUE ? adjoint * partial : adjoint == 0 ? 0 : adjoint * partial;
  }

  /**
   * Whether {@code x} is finite, neither infinite nor not a number. A reverse loop whose partials are
   * all finite computes its guarded products as plain products (the processor's {@code
   * GuardFreeLoops} tests this once before the loop).
   */
  public static boolean finite(double x) {
    return Math.abs(x) <= Double.MAX_VALUE;
  }

  public static double abs(double x) {
    return x > 0 ? 1 : x < 0 ? -1 : 0;
  }

  public static double sqrt(double x) {
    return 0.5 / Math.sqrt(x);
  }

  public static double cbrt(double x) {
    double c = Math.cbrt(x);
    return 1 / (3 * c * c);
  }

  public static double tan(double x) {
    double t = Math.tan(x);
    return 1 + t * t;
  }

  public static double tanh(double x) {
    double t = Math.tanh(x);
    return 1 - t * t;
  }

  public static double asin(double x) {
    return 1 / Math.sqrt(1 - x * x);
  }

  public static double acos(double x) {
    return -1 / Math.sqrt(1 - x * x);
  }

  public static double atan(double x) {
    return 1 / (1 + x * x);
  }

  public static double log10(double x) {
    return 1 / x / Math.log(10); // (x * log(10) overflows for x above 7.8e307)
  }

  /** d pow(x, y) / dx. */
  public static double powBase(double x, double y) {
    return y == 0 ? 0 : y * Math.pow(x, y - 1);
  }

  /** d pow(x, y) / dy. */
  public static double powExponent(double x, double y) {
    return x == 0 ? 0 : Math.pow(x, y) * Math.log(x);
  }

  /** d atan2(y, x) / dy. */
  public static double atan2Y(double y, double x) {
    // x / (x^2 + y^2) as (x / h) / h with h = hypot(x, y): x^2 + y^2 underflows to 0 below
    // |(x, y)| ~ 1e-162 and overflows above ~1e154, where atan2 itself is fine
    double h = Math.hypot(x, y);
    return h == 0 ? 0 : x / h / h;
  }

  /** d atan2(y, x) / dx. */
  public static double atan2X(double y, double x) {
    double h = Math.hypot(x, y);
    return h == 0 ? 0 : -y / h / h;
  }

  /** d hypot(x, y) / dx (and, with the arguments swapped, d/dy). */
  public static double hypot(double x, double y) {
    double h = Math.hypot(x, y);
    return h == 0 ? 0 : x / h;
  }

  /** d (a % b) / db for doubles: {@code -(a - a % b) / b}, the truncated quotient negated. */
  public static double remainderDivisor(double a, double b) {
    return -((a - a % b) / b);
  }
}
