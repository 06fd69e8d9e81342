package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * The result of a helper that reaches nothing overflows to Infinity, and the helper's reverse sweep,
 * given a zero adjoint for it, multiplied that zero by the infinite partial ({@code adj * acc *
 * 2.0}): d/dx was NaN instead of 1. A call result that reaches nothing is not differentiated now:
 * the callee runs as it is, and where the call still carries derivatives through an array it
 * writes, it calls a copy of the callee differentiated without its result.
 */
class UnusedOverflowingResultNaNTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Blow {
        static double blow(double p) {
          double acc = p + 2;
          for (int k = 0; k < 12; k++) acc = acc * acc;
          return acc;
        }

        // the bug report
        @Differentiable(wrt = {"x"})
        public static double m(double x) {
          double unused = blow(x);
          return x;
        }

        // used only in a condition, in a loop with an early exit
        @Differentiable(wrt = {"x"})
        public static double condition(double x) {
          double s = 0;
          for (int k = 0; k < 3; k++) {
            double big = blow(x + k);
            if (big > 1e300) break;
            s += x * k;
          }
          return s + x * x;
        }

        // an array of overflowing values that reaches nothing; its input array is written
        static double[] blowAll(double[] v) {
          double[] out = new double[v.length];
          for (int i = 0; i < v.length; i++) out[i] = blow(v[i]);
          return out;
        }

        @Differentiable(wrt = {"a"})
        public static double array(double[] a) {
          double[] unused = blowAll(a);
          double[] again = blowAll(unused);
          return a[0] * a[1];
        }

        // the overflowing value feeds another unused value
        @Differentiable(wrt = {"x"})
        public static double chain(double x) {
          double big = blow(x);
          double bigger = blow(big) * x;
          return Math.sin(x);
        }

        // the call carries derivatives through the array it writes, but its overflowing result
        // reaches nothing: the callee is differentiated without its result
        static double scaleAndBlow(double[] dst, double p) {
          double acc = p + 2;
          for (int k = 0; k < 12; k++) acc = acc * acc;
          for (int i = 0; i < dst.length; i++) dst[i] = dst[i] * p;
          return acc;
        }

        @Differentiable(wrt = {"a", "x"})
        public static double writesArray(double[] a, double x) {
          double unused = scaleAndBlow(a, x);
          return a[0] * a[1];
        }

        // the same helper, its result used at another site (small enough not to overflow)
        @Differentiable(wrt = {"a", "x"})
        public static double bothSites(double[] a, double x) {
          double unused = scaleAndBlow(a, x);
          double used = scaleAndBlow(a, x * 1e-4 - 2);
          return a[0] * a[1] + used;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Blow", SOURCE);
    user = c.load("demo.Blow");
    grad = c.load("demo.BlowGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("m", r -> new Object[] {r.nextDouble(0, 2)}, 0),
        of("condition", r -> new Object[] {r.nextDouble(-3, 1)}, 0).points(10),
        of("array", r -> new Object[] {vector(r, 3, 0, 2)}, 0),
        of("chain", r -> new Object[] {r.nextDouble(0, 2)}, 0),
        of("writesArray", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(0, 2)}, 0, 1),
        of("bothSites", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(0, 2)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void bugReport() {
    of("m", r -> null, 0).harness(user, grad).checkClosedForm(new Object[] {0.5}, new double[] {1}, 0);
  }
}
