package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conventions of rad-runtime's Derivatives at points where a derivative is one-sided or its
 * formula is not a number, checked exactly at those points: abs'(0) = 0, ties of max and min go
 * to the first argument, pow(0, y) has d/dy = 0, a zero adjoint times an infinite partial is 0,
 * and no NaN leaks from values that do not reach the result (poles, logarithms of 0, overflows).
 */
class KinkTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Kinks {
        @Differentiable static double abs(double x) { return Math.abs(x); }
        @Differentiable static double max(double x, double y) { return Math.max(x, y); }
        @Differentiable static double min(double x, double y) { return Math.min(x, y); }
        @Differentiable static double maxOfExpressions(double x, double y) { return Math.max(2 * x, y * y); }
        @Differentiable static double pow(double x, double y) { return Math.pow(x, y); }
        @Differentiable static double sqrtTimesZero(double x) { return Math.sqrt(x) * 0; }
        @Differentiable static double sqrtTimes(double x, double y) { return Math.sqrt(x) * y; }
        @Differentiable static double cbrtTimes(double x, double y) { return Math.cbrt(x) * y + Math.asin(x + 1) * y; }
        @Differentiable static double hypot(double x, double y) { return Math.hypot(x, y); }
        @Differentiable static double atan2(double y, double x) { return Math.atan2(y, x); }
        @Differentiable static double steps(double x) { return Math.floor(x) + Math.ceil(x) + Math.rint(x) + Math.signum(x); }

        @Differentiable
        static double unusedLog(double x) {
          double unused = Math.log(x - 5);
          return 2 * x;
        }

        @Differentiable
        static double overwrittenPoles(double x) {
          double q = 1 / (x - 5);
          double l = Math.log(x - 5) + Math.log10(x - 5) + Math.log1p(x - 6);
          double d = x / (x - 5);
          q = 3;
          l = x;
          d = 1;
          return x * q + l + d;
        }

        @Differentiable
        static double overflowed(double x) {
          double e = Math.exp(x);
          double w = e * x;
          e = 0;
          w = 1;
          return x + e + w;
        }

        // u's adjoint is 0 at run time where c <= 0: one zero test guards its four products, two of them infinite
        @Differentiable
        static double untakenOverflow(double x, double y, double c) {
          double big = Math.exp(x);
          double u = big * y + big * c;
          return c > 0 ? u : y;
        }

        @Differentiable
        static double overflowedInLoop(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            double big = Math.exp(a[i]) * Math.cosh(a[i]);
            big = 1;
            s += big * a[i];
          }
          return s;
        }

        // the loop's partial big does not change in it: tested once before the loop (GuardFreeLoops),
        // infinite here, so the loop runs its guarded version where u's adjoint is 0
        @Differentiable
        static double untakenOverflowInLoop(double[] a, double c) {
          double big = Math.exp(c);
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            double u = a[i] * big;
            s += a[i] > 100 ? u : a[i];
          }
          return s;
        }

        @Differentiable
        static double untakenBranch(double x) {
          double r = x * x;
          if (x > 5) {
            r = Math.sqrt(x - 5) + Math.log(x - 5);
          }
          return r;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Kinks", SOURCE);
    user = compiled.load("demo.Kinks");
    grad = compiled.load("demo.KinksGrad");
  }

  /** The gradient of {@code method} with respect to all its (double) arguments at {@code args}. */
  static double[] gradient(String method, double... args) {
    int[] wrt = new int[args.length];
    Object[] boxed = new Object[args.length];
    for (int k = 0; k < args.length; k++) {
      wrt[k] = k;
      boxed[k] = args[k];
    }
    return new GradientHarness(user, grad, method, wrt).gradient(boxed);
  }

  @Test
  void absHasDerivativeZeroAtZero() {
    assertArrayEquals(new double[] {0}, gradient("abs", 0.0));
    assertArrayEquals(new double[] {0}, gradient("abs", -0.0));
    assertArrayEquals(new double[] {-1}, gradient("abs", -2.0));
  }

  @Test
  void tiesGoToTheFirstArgument() {
    assertArrayEquals(new double[] {1, 0}, gradient("max", 1.5, 1.5));
    assertArrayEquals(new double[] {1, 0}, gradient("min", 1.5, 1.5));
    assertArrayEquals(new double[] {0, 1}, gradient("max", 1.0, 1.5));
    assertArrayEquals(new double[] {0, 1}, gradient("min", 2.0, 1.5));
    // 2x = y^2 at x = 2, y = 2: the adjoint goes to 2x
    assertArrayEquals(new double[] {2, 0}, gradient("maxOfExpressions", 2.0, 2.0));
  }

  @Test
  void powAtZero() {
    assertArrayEquals(new double[] {0, 0}, gradient("pow", 0.0, 2.0)); // d/dx = 2 * 0, d/dy = 0 (not 0 * log 0)
    assertArrayEquals(new double[] {0, Math.log(3)}, gradient("pow", 3.0, 0.0)); // d/dx = 0 * 3^-1
    assertArrayEquals(new double[] {0, 0}, gradient("pow", 0.0, 0.0));
    assertArrayEquals(new double[] {3, 0}, gradient("pow", 1.0, 3.0));
  }

  @Test
  void zeroAdjointTimesInfinitePartialIsZero() {
    assertArrayEquals(new double[] {0}, gradient("sqrtTimesZero", 0.0));
    assertArrayEquals(new double[] {0, 0}, gradient("sqrtTimes", 0.0, 0.0));
    assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0}, gradient("sqrtTimes", 0.0, 1.0));
    assertArrayEquals(new double[] {0, 0 + Math.asin(1)}, gradient("cbrtTimes", 0.0, 0.0));
  }

  @Test
  void originOfHypotAndAtan2() {
    assertArrayEquals(new double[] {0, 0}, gradient("hypot", 0.0, 0.0));
    assertArrayEquals(new double[] {0, 0}, gradient("atan2", 0.0, 0.0));
  }

  @Test
  void piecewiseConstantFunctionsHaveDerivativeZeroEverywhere() {
    for (double x : new double[] {-1.5, -1, -0.5, 0, 0.5, 2}) {
      assertArrayEquals(new double[] {0}, gradient("steps", x), "at " + x);
    }
  }

  @Test
  void valuesThatDoNotReachTheResultLeakNoNaN() {
    assertArrayEquals(new double[] {2}, gradient("unusedLog", 3.0)); // log(-2) is NaN
    assertArrayEquals(new double[] {2}, gradient("unusedLog", 5.0)); // log(0) is -infinity
    assertArrayEquals(new double[] {4}, gradient("overwrittenPoles", 5.0)); // 1/0, log(0), 5/0
    assertArrayEquals(new double[] {4}, gradient("overwrittenPoles", 4.0));
    assertArrayEquals(new double[] {1}, gradient("overflowed", 1000.0)); // exp(1000) is infinite
    assertArrayEquals(new double[] {0, 1, 0}, gradient("untakenOverflow", 1000.0, 2.0, -1.0));
    double[] a = {1000, 0.5};
    assertArrayEquals(new double[] {1, 1}, new GradientHarness(user, grad, "overflowedInLoop", 0).gradient(new Object[] {a}));
    // an infinite partial the loop does not change, times adjoints that are 0 (a[i] <= 100): the
    // loop's plain version would give NaN, its test of the partial sends it to the guarded one
    assertThat(compiled.generatedSource("demo.KinksGrad")).contains("Derivatives.finite(big)");
    assertArrayEquals(new double[] {1, 1, 0},
        new GradientHarness(user, grad, "untakenOverflowInLoop", 0, 1).gradient(new Object[] {new double[] {1, 2}, 1000.0}));
    // and where it is finite, the plain version: d/da[i] = big for a[i] > 100, d/dc = big * sum of those a[i]
    assertArrayEquals(new double[] {1, Math.E, Math.E * 200},
        new GradientHarness(user, grad, "untakenOverflowInLoop", 0, 1).gradient(new Object[] {new double[] {1, 200}, 1.0}),
        1e-12);
    assertArrayEquals(new double[] {10}, gradient("untakenBranch", 5.0));
    assertArrayEquals(new double[] {6}, gradient("untakenBranch", 3.0));
  }
}
