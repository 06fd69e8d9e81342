package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Each derivative against a central difference of the function it differentiates, and the
 * conventions the class comment documents.
 *
 * <p>Tolerance: central differences with {@code h = 1e-6 * max(1, |x|)} have truncation error about
 * {@code h^2 |f'''| / 6} and rounding error about {@code 1e-16 |f| / h}; at the points used (well
 * inside each domain) both are below {@code 1e-8}, so agreement is required to {@code 1e-7}
 * relative to {@code max(1, |f'|)}.
 */
class DerivativesTest {
  private static final double TOL = 1e-7;

  private static double central(DoubleUnaryOperator f, double x) {
    double h = 1e-6 * Math.max(1, Math.abs(x));
    double plus = x + h;
    double minus = x - h;
    return (f.applyAsDouble(plus) - f.applyAsDouble(minus)) / (plus - minus);
  }

  private static void assertDerivative(String name, DoubleUnaryOperator f, DoubleUnaryOperator df, double... points) {
    for (double x : points) {
      double expected = central(f, x);
      double actual = df.applyAsDouble(x);
      assertEquals(expected, actual, TOL * Math.max(1, Math.abs(expected)), name + "'(" + x + ")");
    }
  }

  /** Partial derivatives of a two-argument function: by x (first) and by y (second). */
  private static void assertPartials(String name, DoubleBinaryOperator f, DoubleBinaryOperator dx,
      DoubleBinaryOperator dy, double[][] points) {
    for (double[] p : points) {
      double x = p[0];
      double y = p[1];
      if (dx != null) {
        double expected = central(t -> f.applyAsDouble(t, y), x);
        assertEquals(expected, dx.applyAsDouble(x, y), TOL * Math.max(1, Math.abs(expected)),
            "d" + name + "/dx at (" + x + ", " + y + ")");
      }
      if (dy != null) {
        double expected = central(t -> f.applyAsDouble(x, t), y);
        assertEquals(expected, dy.applyAsDouble(x, y), TOL * Math.max(1, Math.abs(expected)),
            "d" + name + "/dy at (" + x + ", " + y + ")");
      }
    }
  }

  @Test
  void unaryFunctionsMatchCentralDifferences() {
    assertDerivative("abs", Math::abs, Derivatives::abs, -2.5, -0.1, 0.3, 7);
    assertDerivative("sqrt", Math::sqrt, Derivatives::sqrt, 0.01, 0.5, 2, 900);
    assertDerivative("cbrt", Math::cbrt, Derivatives::cbrt, -8, -0.3, 0.2, 27, 1000);
    assertDerivative("tan", Math::tan, Derivatives::tan, -1.2, -0.3, 0, 0.7, 1.4);
    assertDerivative("tanh", Math::tanh, Derivatives::tanh, -3, -0.5, 0, 0.4, 2);
    assertDerivative("asin", Math::asin, Derivatives::asin, -0.9, -0.2, 0, 0.5, 0.95);
    assertDerivative("acos", Math::acos, Derivatives::acos, -0.9, -0.2, 0, 0.5, 0.95);
    assertDerivative("atan", Math::atan, Derivatives::atan, -10, -1, 0, 0.3, 4);
    assertDerivative("log10", Math::log10, Derivatives::log10, 0.01, 0.5, 1, 3, 1e4);
  }

  @Test
  void exactValuesAtSimplePoints() {
    assertEquals(0.25, Derivatives.sqrt(4));
    assertEquals(1.0 / 12, Derivatives.cbrt(8), 1e-15);
    assertEquals(1.0 / 12, Derivatives.cbrt(-8), 1e-15);
    assertEquals(1, Derivatives.tan(0));
    assertEquals(1, Derivatives.tanh(0));
    assertEquals(1, Derivatives.asin(0));
    assertEquals(-1, Derivatives.acos(0));
    assertEquals(0.5, Derivatives.atan(1));
    assertEquals(1 / Math.log(10), Derivatives.log10(1), 1e-15);
    assertEquals(-1, Derivatives.abs(-3));
    assertEquals(1, Derivatives.abs(3));
  }

  @Test
  void powPartialsMatchCentralDifferences() {
    double[][] points = {{2, 3}, {0.5, -1.5}, {3, 0.5}, {1.7, 2.2}, {10, -2}, {0.1, 4}};
    assertPartials("pow", Math::pow, Derivatives::powBase, Derivatives::powExponent, points);
    // negative base with an integer exponent: d/dx only (d/dy is not defined there)
    assertPartials("pow", Math::pow, Derivatives::powBase, null, new double[][] {{-2, 3}, {-1.5, 2}, {-3, -1}});
    assertEquals(12, Derivatives.powBase(2, 3));
    assertEquals(8 * Math.log(2), Derivatives.powExponent(2, 3), 1e-15);
  }

  @Test
  void atan2PartialsMatchCentralDifferences() {
    // y first, x second, as in Math.atan2(y, x); away from the branch cut (x < 0, y = 0)
    double[][] points = {{1, 1}, {-2, 0.5}, {0.3, -4}, {-1, -1}, {0, 2}, {3, 0}};
    assertPartials("atan2", Math::atan2, Derivatives::atan2Y, Derivatives::atan2X, points);
  }

  /**
   * Found by a user-style test: the partials were x / (x^2 + y^2), whose denominator underflows to
   * 0 below |(x, y)| ~ 1e-162 (the origin's convention, 0, then fired away from the origin) and
   * overflows above ~1e154 (0 again), while atan2 itself is scale-invariant. The closed form
   * {-y, x} / (x^2 + y^2) at (0.6 s, 0.8 s) is {-0.8, 0.6} / s.
   */
  @Test
  void atan2PartialsHoldAtEveryScale() {
    for (double s : new double[] {1e-300, 1e-200, 1e-165, 1e-158, 1, 1e155, 1e200, 1e300}) {
      assertEquals(-0.8 / s, Derivatives.atan2X(0.8 * s, 0.6 * s), 1e-12 * 0.8 / s, "d/dx at scale " + s);
      assertEquals(0.6 / s, Derivatives.atan2Y(0.8 * s, 0.6 * s), 1e-12 * 0.6 / s, "d/dy at scale " + s);
    }
    assertEquals(0, Derivatives.atan2X(0, 0));
    assertEquals(1 / 1e308 / Math.log(10), Derivatives.log10(1e308), 1e-12 / 1e308);
  }

  @Test
  void hypotPartialsMatchCentralDifferences() {
    double[][] points = {{3, 4}, {-1, 2}, {0.5, -0.2}, {0, 1}, {-7, 0}};
    assertPartials("hypot", Math::hypot, Derivatives::hypot, (x, y) -> Derivatives.hypot(y, x), points);
    assertEquals(0.6, Derivatives.hypot(3, 4), 1e-15);
    assertEquals(0.8, Derivatives.hypot(4, 3), 1e-15);
  }

  @Test
  void remainderDivisorMatchesCentralDifferences() {
    // away from the jumps of a % b (where a / b is an integer)
    double[][] points = {{7.3, 2.1}, {-7.3, 2.1}, {7.3, -2.1}, {1, 3}, {10.6, 0.7}, {-5.5, -1.25}};
    assertPartials("%", (a, b) -> a % b, null, Derivatives::remainderDivisor, points);
    assertEquals(-3, Derivatives.remainderDivisor(7.3, 2.1), 1e-12);
    assertEquals(3, Derivatives.remainderDivisor(-7.3, 2.1), 1e-12);
    assertEquals(0, Derivatives.remainderDivisor(1, 3), 0);
  }

  // ---- the documented conventions ----------------------------------------------------------------

  @Test
  void absAtZeroIsZero() {
    assertEquals(0.0, Derivatives.abs(0.0));
    assertEquals(0.0, Derivatives.abs(-0.0));
  }

  @Test
  void powExponentAtZeroBaseIsZero() {
    for (double y : new double[] {-2, -0.5, 0, 0.5, 1, 3}) {
      assertEquals(0.0, Derivatives.powExponent(0, y), "powExponent(0, " + y + ")");
      assertEquals(0.0, Derivatives.powExponent(-0.0, y), "powExponent(-0, " + y + ")");
    }
    // the true limit for y > 0: d/dy x^y = x^y log x -> 0 as x -> 0+
    assertEquals(0, Derivatives.powExponent(1e-300, 2), 1e-300);
  }

  @Test
  void powBaseAtZeroExponentIsZero() {
    for (double x : new double[] {-3, -0.0, 0, 0.5, 2, Double.POSITIVE_INFINITY}) {
      assertEquals(0.0, Derivatives.powBase(x, 0), "powBase(" + x + ", 0)");
      assertEquals(0.0, Derivatives.powBase(x, -0.0), "powBase(" + x + ", -0)");
    }
    // y = 0 at x = 0 would otherwise be 0 * pow(0, -1) = 0 * inf = NaN
    assertEquals(0.0, Derivatives.powBase(0, 0));
  }

  @Test
  void atan2AndHypotAtTheOriginAreZero() {
    assertEquals(0.0, Derivatives.atan2Y(0, 0));
    assertEquals(0.0, Derivatives.atan2X(0, 0));
    assertEquals(0.0, Derivatives.atan2Y(-0.0, -0.0), 0.0);
    assertEquals(0.0, Derivatives.atan2X(-0.0, -0.0), 0.0);
    assertEquals(0.0, Derivatives.hypot(0, 0));
    assertEquals(0.0, Derivatives.hypot(-0.0, 0), 0.0);
  }

  @Test
  void timesWithZeroAdjointIsZeroEvenForInfiniteOrNaNPartials() {
    assertEquals(0.0, Derivatives.times(0, Double.POSITIVE_INFINITY));
    assertEquals(0.0, Derivatives.times(0, Double.NEGATIVE_INFINITY));
    assertEquals(0.0, Derivatives.times(-0.0, Double.POSITIVE_INFINITY), 0.0);
    assertEquals(0.0, Derivatives.times(0, Double.NaN));
    assertEquals(0.0, Derivatives.times(0, Derivatives.sqrt(0))); // the motivating case: sqrt'(0) = inf
    assertEquals(6.0, Derivatives.times(2, 3));
    assertEquals(Double.POSITIVE_INFINITY, Derivatives.times(2, Double.POSITIVE_INFINITY));
    assertEquals(-1.5, Derivatives.times(-0.5, 3));
  }

  /**
   * scaled is times tested on the partial: the same number for every pair of adjoint and partial
   * (zeros of either sign, tiny and huge values, infinities, NaN), up to the sign of a zero.
   */
  @Test
  void scaledIsTimesUpToTheSignOfAZero() {
    double[] values = {0.0, -0.0, 1e-310, -3e-200, 0.5, -2.0, 7e250, -1e308, Double.MAX_VALUE, Double.MIN_VALUE,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};
    for (double adjoint : values) {
      for (double partial : values) {
        double t = Derivatives.times(adjoint, partial);
        double s = Derivatives.scaled(adjoint, partial);
        boolean same = Double.isNaN(t) ? Double.isNaN(s) : t == s; // == takes 0.0 and -0.0 as one
        org.junit.jupiter.api.Assertions.assertTrue(same, adjoint + " * " + partial + ": times " + t + ", scaled " + s);
      }
    }
    assertEquals(0.0, Derivatives.scaled(0, Double.POSITIVE_INFINITY));
    assertEquals(0.0, Derivatives.scaled(0, Double.NaN));
  }
}
