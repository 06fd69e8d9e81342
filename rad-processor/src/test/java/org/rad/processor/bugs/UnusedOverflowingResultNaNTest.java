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
 *
 * <p>The general form (fuzzer seed 2026, program 4524): a value that overflows where the
 * differentiation cannot tell that it reaches nothing, because it is one element of an array that
 * carries derivatives, or it is read only on a branch not taken. Its adjoint is exactly 0 at run
 * time, and every product of an adjoint and a non-constant partial is {@code Derivatives.times}
 * now (0 when the adjoint is 0), so no NaN leaks from it.
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

        // one element of an array that carries derivatives overflows; the result reads another
        @Differentiable(wrt = {"a", "x"})
        public static double element(double[] a, double x) {
          double[] v = new double[2];
          v[0] = a[0] * x;
          v[1] = blow(a[1] * x);
          v[1] = Math.pow(1.5, v[1]) * a[0] + Math.exp(v[1]) * x;
          return v[0] * x;
        }

        // exp overflows, and the value is read only on a branch not taken
        @Differentiable(wrt = {"x"})
        public static double branchNotTaken(double x, double big) {
          double e = Math.exp(big * x);
          double y = Math.sinh(big * x) * x;
          return x > 100 ? e + y : x * x;
        }

        // the shape the fuzzer found: a row reached through swaps grows by repeated helper calls
        // until pow overflows, in a matrix the result never reads
        static void fill(double[] out, double[] v1, double[] v2, double v) {
          for (int i = 0; i < out.length; i++) out[i] = v;
        }

        static double grow(double x0, double x1, double[] v) {
          int n = Math.atan(x1) > -(x1) ? v.length : v.length - 1;
          for (int k = 0; k < n; k++) fill(v, v, v, v[2] + Math.max(x0, 1.5));
          double[] a = new double[v.length];
          for (int i = 0; i < a.length; i++) a[i] += Math.pow(1.5 + Math.sin(0.5), v[i] - 0.5);
          return a[0];
        }

        static double twice(double[] v, double x) {
          double[] c = v.clone();
          c = v;
          return 0.5 + (x + x) * grow(v[2], v[2], c);
        }

        @Differentiable(wrt = {"x0", "x1", "v0", "v1"})
        public static double swapped(double x0, double x1, double[] v0, double[] v1, double[][] m) {
          double d = twice(v1, 0.5 - twice(v1, v0[2]));
          double[] row = m[1];
          v0 = v1;
          v1 = row;
          int n = x0 < 0.5 ? row.length : row.length - 1;
          for (int i = 0; i < n; i++) {
            m[0][2] = grow(twice(v0, m[1][(i + 1) % m[0].length]), 0.5, v1);
          }
          return x0;
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
        of("bothSites", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(0, 2)}, 0, 1),
        of("element", r -> new Object[] {vector(r, 2, 0.5, 2), r.nextDouble(1, 2)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void overflowReadOnlyOnABranchNotTaken() {
    // exp(1000 * 2) and sinh overflow; the result is x * x: d/dx = 2x = 4
    of("branchNotTaken", r -> null, 0).harness(user, grad)
        .checkClosedForm(new Object[] {2.0, 1000.0}, new double[] {4}, 0);
  }

  @Test
  void overflowInAMatrixTheResultNeverReads() {
    // the result is x0: its gradient is 1 for x0 and 0 for every element of v1 (the fuzzer's point)
    double[][] m = {{1.3976088678774934, 0.5569163774930499, -0.07570250537920975},
        {-0.25775904630859436, 1.292628789505268, -0.5475014505705287}};
    of("swapped", r -> null, 0, 1, 2, 3).harness(user, grad).checkClosedForm(new Object[] {-0.27191229576869724,
        -1.2371483568130095,
        new double[] {-0.17764309286011604, -0.1658485373086762, -0.08957586524788064},
        new double[] {-0.1855158918036206, -0.3921678432343727, 1.4107181932885489}, m},
        new double[] {1, 0, 0, 0, 0, 0, 0, 0}, 0);
  }

  @Test
  void bugReport() {
    of("m", r -> null, 0).harness(user, grad).checkClosedForm(new Object[] {0.5}, new double[] {1}, 0);
  }
}
