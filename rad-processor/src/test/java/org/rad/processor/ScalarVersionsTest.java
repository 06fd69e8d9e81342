package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * Found by user-style rounds (imaging, probabilistic models): a helper that reassigns its own
 * parameter ({@code x = Math.max(0, Math.min(w - 1, x))}, the bilinear-sampling idiom) handed the
 * final value over on every call, 13x the tape of the same helper with a new local; and a helper
 * that returns an array initializer ({@code return new double[] {...}}) kept every result alive
 * for its identity, 11x the tape of the same helper filling a {@code new double[2]}. A double
 * assigned by statements of the method's own block now gets a local per assignment
 * ({@code transform/ScalarVersions}), which the reverse sweep recomputes; a returned new array is
 * the local the method returns, whose adjoint is the caller's.
 */
class ScalarVersionsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Sv {
        static double clampSq(double x) {
          x = Math.min(5, x);
          return x * x;
        }

        static double clampSqLocal(double x) {
          double c = Math.min(5, x);
          return c * c;
        }

        // compound assignments, a value declared without one, and a variable also assigned in a
        // loop (which keeps its name and its records)
        static double chain(double x, double y) {
          double s = x * y;
          s /= 1 + y * y;
          s *= Math.exp(-x);
          s -= 0.1 * x;
          double l;
          l = Math.sin(s) + s * x;
          double t = l;
          for (int k = 0; k < 3; k++) {
            t = t * x + 0.5;
          }
          return l * t + s;
        }

        static double[] rot(double[] p, double x) {
          return new double[] {Math.cos(p[0]) * x, Math.sin(p[0]) * x};
        }

        static double[] rotFilled(double[] p, double x) {
          double[] r = new double[2];
          r[0] = Math.cos(p[0]) * x;
          r[1] = Math.sin(p[0]) * x;
          return r;
        }

        @Differentiable(wrt = "d")
        public static double clamped(double[] d, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) s += clampSq(d[0] + 0.01 * i);
          return s;
        }

        @Differentiable(wrt = "d")
        public static double clampedLocal(double[] d, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) s += clampSqLocal(d[0] + 0.01 * i);
          return s;
        }

        @Differentiable(wrt = "d")
        public static double chained(double[] d, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) s += chain(d[0] + 0.1 * i, d[1]);
          return s;
        }

        @Differentiable(wrt = "p")
        public static double rotated(double[] p, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            double[] q = rot(p, i);
            s += q[0] * q[1];
          }
          return s;
        }

        @Differentiable(wrt = "p")
        public static double rotatedFilled(double[] p, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            double[] q = rotFilled(p, i);
            s += q[0] * q[1];
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Sv", SOURCE);
    user = c.load("demo.Sv");
    grad = c.load("demo.SvGrad");
    generated = c.generatedSource("demo.SvGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("clamped", r -> new Object[] {new double[] {4.2 + 0.3 * r.nextDouble()}, 50}, 0),
        of("chained", r -> new Object[] {vector(r, 2, 0.3, 1.2), 4}, 0),
        of("rotated", r -> new Object[] {vector(r, 1, 0.2, 1.2), 6}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  private static long tape(String name, double[] x, int n) throws Exception {
    Method m = grad.getMethod(name, double[].class, int.class, double[].class, RadContext.class);
    RadContext ctx = RadContext.exact();
    m.invoke(null, x, n, new double[x.length], ctx);
    return ctx.peakTapeBytes();
  }

  /** 100 calls of the helper that reassigns its parameter tape what the helper with a new local does. */
  @Test
  void aReassignedParameterIsRecomputedNotHandedOver() throws Exception {
    assertEquals(tape("clampedLocal", new double[] {0.3}, 100), tape("clamped", new double[] {0.3}, 100));
    String forward = Compiled.method(generated, "static double clampSqForward");
    assertFalse(forward.contains("pushDouble"), forward);
    assertTrue(forward.contains("double x2 = Math.min(5"), forward);
  }

  /** Each straight-line assignment is a local of its own; the one in the loop keeps its name. */
  @Test
  void straightLineAssignmentsAreVersionsLoopsAreNot() {
    String primal = Compiled.method(generated, "static double chainPrimal");
    assertTrue(primal.contains("double s2 = s / (1"), primal);
    assertTrue(primal.contains("double s3 = s2 * Math.exp(-x)"), primal);
    assertTrue(primal.contains("double l = Math.sin(s4)"), primal);
    assertTrue(primal.contains("t = t * x + 0.5"), primal);
  }

  /** A returned array initializer is not kept for its identity: the same tape as the filled array. */
  @Test
  void aReturnedInitializerIsNotKeptAlive() throws Exception {
    assertEquals(tape("rotatedFilled", new double[] {0.4}, 100), tape("rotated", new double[] {0.4}, 100));
    String reverse = Compiled.method(generated, "static void rotReverse");
    assertFalse(reverse.contains("bindShadow(result"), reverse);
  }
}
