package org.rad.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;

/**
 * The checker cannot silently pass: hand-written "generated" classes with a wrong gradient, a
 * wrong value, arrays left wrong, a context that gives another result on reuse, an exception,
 * each get their outcome; the right gradient passes, and a function the steps cannot resolve is skipped as non-smooth.
 */
class CheckerTest {
  /** f(x0, v0) = x0 * sum(v0^2), and it scales v0 by 2 in place. */
  static final class User {
    static double f(double x0, double[] v0) {
      double s = 0;
      for (int i = 0; i < v0.length; i++) {
        s += v0[i] * v0[i];
        v0[i] = 2 * v0[i];
      }
      return x0 * s;
    }
  }

  static double value(double x0, double[] v0) {
    double s = 0;
    for (double e : v0) {
      s += e * e;
    }
    return x0 * s;
  }

  static void scale(double[] v0) {
    for (int i = 0; i < v0.length; i++) {
      v0[i] = 2 * v0[i];
    }
  }

  static final class RightGrad {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double s = value(1, v0);
      for (int i = 0; i < v0.length; i++) {
        v0Bar[i] += 2 * x0 * v0[i];
      }
      x0Bar[0] += s;
      scale(v0);
      return x0 * s;
    }
  }

  static final class WrongGradient {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double s = value(1, v0);
      for (int i = 0; i < v0.length; i++) {
        v0Bar[i] += x0 * v0[i]; // the factor 2 is missing
      }
      x0Bar[0] += s;
      scale(v0);
      return x0 * s;
    }
  }

  static final class WrongValue {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double r = RightGrad.f(x0, v0, x0Bar, v0Bar, ctx);
      return r * (1 + 1e-9);
    }
  }

  static final class WrongArrays {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double[] copy = v0.clone();
      double r = RightGrad.f(x0, copy, x0Bar, v0Bar, ctx); // leaves v0 as it was
      return r;
    }
  }

  static final class NotReusable {
    static int calls;

    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double r = RightGrad.f(x0, v0, x0Bar, v0Bar, ctx);
      if (calls++ % 2 == 1) {
        x0Bar[0] += 1; // the second call on a context adds more
      }
      return r;
    }
  }

  static final class Throws {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double[] tape = null;
      return tape[0];
    }
  }

  /** Oscillating faster than the steps resolve: the differences disagree among themselves, so it is skipped. */
  static final class Steps {
    static double f(double x0, double[] v0) {
      return Math.sin(1e9 * (x0 + v0[0] + v0[1] + v0[2]));
    }
  }

  static final class StepsGrad {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double d = 1e9 * Math.cos(1e9 * (x0 + v0[0] + v0[1] + v0[2]));
      x0Bar[0] += d;
      for (int i = 0; i < v0.length; i++) {
        v0Bar[i] += d;
      }
      return Steps.f(x0, v0);
    }
  }

  /**
   * A slope plus a ripple of period 6e-12 and amplitude 1e-12: every step sees the slope alone,
   * so the central differences agree with each other, while the exact derivative moves by 1 within
   * 1e-12. The gradient at x +- the smallest step shows it: x0 is skipped, not a wrong gradient.
   */
  static final class Ripple {
    static double f(double x0, double[] v0) {
      return x0 + v0[0] + v0[1] + v0[2] + 1e-12 * Math.sin(1e12 * x0);
    }
  }

  static final class RippleGrad {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      x0Bar[0] += 1 + Math.cos(1e12 * x0);
      for (int i = 0; i < v0.length; i++) {
        v0Bar[i] += 1;
      }
      return Ripple.f(x0, v0);
    }
  }

  /**
   * A function of size 8e10 with slopes of order 1 (the fuzzer's seed 2026, program 7409, with
   * in-place loops: a helper that squares its argument's size each call): the rounding of f's
   * values (ulp 1.5e-5) swamps every step's difference of slopes below 1 (0.0 at steps 1e-5 to
   * 1e-7, agreeing), so those components are skipped, not reported; one off by 1e4 is still caught:
   * every step resolves it (0.3 at 1e-4 to 300 at 1e-7), and the steps agree within that.
   */
  static final class Huge {
    static double f(double x0, double[] v0) {
      return 8.2e10 + 0.4 * x0 + 0.3 * v0[0] - 0.2 * v0[1] + 0.1 * v0[2];
    }
  }

  static final class HugeGrad {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      x0Bar[0] += 0.4;
      v0Bar[0] += 0.3;
      v0Bar[1] -= 0.2;
      v0Bar[2] += 0.1;
      return Huge.f(x0, v0);
    }
  }

  /** Off by 1e4 in x0. */
  static final class HugeWrongGrad {
    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double r = HugeGrad.f(x0, v0, x0Bar, v0Bar, ctx);
      x0Bar[0] += 1e4;
      return r;
    }
  }

  @Test
  void differencesBelowTheRoundingOfFPassAndLargerErrorsAreCaught() {
    Verdict right = check(Huge.class, HugeGrad.class);
    assertEquals(Outcome.SKIPPED, right.outcome(), right.detail());
    assertEquals(8, right.skippedComponents(), right.detail());
    Verdict wrong = check(Huge.class, HugeWrongGrad.class);
    assertEquals(Outcome.WRONG_GRADIENT, wrong.outcome(), wrong.detail());
    assertTrue(wrong.detail().contains("x0"), wrong.detail());
  }

  /**
   * Exact in an exact context and at fraction 1, but its sampled gradient is off by a factor on
   * average: each call at fraction 0.5 keeps x0's share with probability 1/2 without scaling it
   * by 2 (the bias a record that forgets its 1/f would have). The unbiasedness check catches it.
   */
  static final class Biased {
    static long calls;

    static double f(double x0, double[] v0, double[] x0Bar, double[] v0Bar, RadContext ctx) {
      double r = RightGrad.f(x0, v0, x0Bar, v0Bar, ctx);
      if (!ctx.isExact() && ctx.fractionFor(0.5) < 1 && (mix(calls++) & 1) == 0) {
        x0Bar[0] -= value(1, v0) / 2; // kept half the time, unscaled: E = s / 2
        x0Bar[0] -= value(1, v0) / 2;
      }
      return r;
    }

    static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      return z ^ (z >>> 31);
    }
  }

  static final Program RANDOMIZED = new Program("Hand", 5, "", List.of(
      new Param("x0", Param.Type.DOUBLE, true), new Param("v0", Param.Type.VECTOR, true)), 3, 2, true, true);

  @Test
  void aBiasedRandomizedGradientIsCaught() {
    Verdict v = new Checker(2).check(RANDOMIZED, User.class, Biased.class);
    assertEquals(Outcome.BIASED, v.outcome(), v.detail());
    assertTrue(v.detail().contains("x0"), v.detail());
    assertEquals(Outcome.PASS, new Checker(2).check(RANDOMIZED, User.class, RightGrad.class).outcome(),
        "an exact gradient is unbiased");
  }

  static final Program PROGRAM = new Program("Hand", 5, "", List.of(
      new Param("x0", Param.Type.DOUBLE, true), new Param("v0", Param.Type.VECTOR, true)), 3, 2, false, false);

  private static Verdict check(Class<?> user, Class<?> grad) {
    return new Checker(2).check(PROGRAM, user, grad);
  }

  @Test
  void rightGradientPasses() {
    Verdict v = check(User.class, RightGrad.class);
    assertEquals(Outcome.PASS, v.outcome(), v.detail());
    assertEquals(8, v.checkedComponents());
  }

  @Test
  void wrongGradientIsCaught() {
    Verdict v = check(User.class, WrongGradient.class);
    assertEquals(Outcome.WRONG_GRADIENT, v.outcome(), v.detail());
    assertTrue(v.detail().contains("v0[0]"), v.detail());
  }

  @Test
  void wrongValueIsCaught() {
    assertEquals(Outcome.WRONG_VALUE, check(User.class, WrongValue.class).outcome());
  }

  @Test
  void wrongArraysAreCaught() {
    assertEquals(Outcome.WRONG_ARRAYS, check(User.class, WrongArrays.class).outcome());
  }

  @Test
  void reuseMismatchIsCaught() {
    NotReusable.calls = 0;
    assertEquals(Outcome.REUSE_MISMATCH, check(User.class, NotReusable.class).outcome());
  }

  @Test
  void exceptionIsACrash() {
    Verdict v = check(User.class, Throws.class);
    assertEquals(Outcome.CRASH, v.outcome());
    assertTrue(v.detail().contains("NullPointerException"), v.detail());
  }

  @Test
  void nonSmoothIsSkippedNotPassed() {
    Verdict v = check(Steps.class, StepsGrad.class);
    assertEquals(Outcome.SKIPPED, v.outcome(), v.detail());
    assertEquals(8, v.skippedComponents(), v.detail());
    assertEquals(0, v.checkedComponents(), v.detail());
  }

  @Test
  void aRippleFinerThanEveryStepIsSkippedNotReported() {
    Verdict v = check(Ripple.class, RippleGrad.class);
    assertEquals(Outcome.PASS, v.outcome(), v.detail()); // passes where it can be checked
    assertEquals(2, v.skippedComponents(), v.detail()); // x0 at both points; v0's components pass
    assertEquals(6, v.checkedComponents(), v.detail());
  }
}
