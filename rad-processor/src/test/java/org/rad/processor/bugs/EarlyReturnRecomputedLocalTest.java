package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;
import org.rad.processor.GradientHarness;

/**
 * Bug reports 1 and 2 of issue 14: after an early return, a local that the reverse sweep
 * recomputes instead of recording ({@code double t = p;}, {@code int k = 1;}) was read by the
 * adjoint statements before it was recomputed, because the final {@code return} was moved out of
 * the guarded block that holds the local's declaration (d(t x)/dx gave 0; the gradient of
 * {@code a[k]} landed in {@code a[0]}). Variants: the early exit inside a loop, inside an else
 * branch, and a recomputed index used after it.
 */
class EarlyReturnRecomputedLocalTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class EarlyReturn {
        @Differentiable(wrt = {"x"})
        public static double f(double x, double p) {
          if (p > 10) { return 0; }
          double t = p;
          return t * x;
        }

        @Differentiable(wrt = {"a"})
        public static double g(double[] a, double s) {
          if (s > 0.5) { return s; }
          int k = 1;
          return a[k];
        }

        @Differentiable(wrt = {"x"})
        public static double inLoop(double x, double[] c) {
          for (int i = 0; i < c.length; i++) {
            if (c[i] > 0.9) { return x * c[i]; }
          }
          double t = c[0] * c[1];
          int k = c.length - 1;
          return t * x * c[k] + x * x;
        }

        @Differentiable(wrt = {"x"})
        public static double inElse(double x, double p) {
          if (p > 0.5) {
            x = x * 2;
          } else {
            return x * p;
          }
          double t = Math.sin(p);
          double u = t * t;
          return u * x + t * x * x;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.EarlyReturn", SOURCE);
    user = c.load("bugs.EarlyReturn");
    grad = c.load("bugs.EarlyReturnGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("f", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(0, 20)}, 0).points(12),
        of("g", r -> new Object[] {vector(r, 3, -1, 1), r.nextDouble(0, 1)}, 0).points(12),
        of("inLoop", r -> new Object[] {r.nextDouble(-2, 2), vector(r, 4, 0, 1)}, 0).points(12),
        of("inElse", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(0, 1)}, 0).points(12));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** The reports' exact points: d(t x)/dx = p = 2 at x = 3; d a[1] / da = (0, 1). */
  @Test
  void reportedPoints() {
    assertArrayEquals(new double[] {2.0}, new GradientHarness(user, grad, "f", 0).gradient(3.0, 2.0), 1e-12);
    assertArrayEquals(new double[] {0.0, 1.0}, new GradientHarness(user, grad, "g", 0).gradient(new double[] {1, 2}, 0.1),
        1e-12);
  }
}
