package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.matrix;
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
 * A helper returning {@code double[]}, called with active arguments, whose result reaches nothing:
 * the caller passed {@code null} as the result's adjoint and the helper's reverse sweep read it (a
 * NullPointerException in {@code scaleReverse}). A result that reaches nothing is not
 * differentiated at all now; where the call still carries derivatives through an array it writes,
 * its unused result gets an adjoint of zeros.
 */
class UnusedArrayResultNullAdjointTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Unused {
        static double[] scale(double[] v, double p) {
          double[] out = new double[v.length];
          for (int i = 0; i < v.length; i++) out[i] = v[i] * p;
          return out;
        }

        // the bug report
        @Differentiable(wrt = {"a", "x"})
        public static double k(double[] a, double x) {
          double[] unused = scale(a, x);
          return x * a[0];
        }

        // the result dropped: scale(a, x); as a statement
        @Differentiable(wrt = {"a", "x"})
        public static double dropped(double[] a, double x) {
          scale(a, x);
          return x * a[1];
        }

        // writes a (useful) and returns an array that reaches nothing
        static double[] scaleInto(double[] dst, double p) {
          double[] out = new double[dst.length];
          for (int i = 0; i < dst.length; i++) {
            out[i] = dst[i] * p * p;
            dst[i] = dst[i] * p;
          }
          return out;
        }

        @Differentiable(wrt = {"a", "x"})
        public static double writesButResultUnused(double[] a, double x) {
          double[] b = a.clone();
          double[] unused = scaleInto(b, x);
          return b[0] * b[1];
        }

        // the helper writes through a row reference; an element of its result is stored in a 2-D
        // array that nothing reads
        static double[] scaleRow(double[][] m, int r, double p) {
          double[] row = m[r];
          for (int j = 0; j < row.length; j++) row[j] = row[j] * p;
          return scale(row, p);
        }

        @Differentiable(wrt = {"m", "x"})
        public static double rowWriter(double[][] m, double x) {
          double[][] keep = new double[2][3];
          double[] y = scaleRow(m, 1, x);
          keep[0][1] = y[1];
          return m[1][0] + m[0][1] * x;
        }

        // in a loop with an early exit, the result used only in a condition
        @Differentiable(wrt = {"a", "x"})
        public static double loopWithBreak(double[] a, double x) {
          double s = 0;
          for (int k = 0; k < 4; k++) {
            double[] y = scale(a, x + k);
            if (y[0] > 3) break;
            s += a[k % a.length] * x;
          }
          return s;
        }

        // used twice next to an unused one
        @Differentiable(wrt = {"a", "x"})
        public static double usedTwice(double[] a, double x) {
          double[] y = scale(a, x);
          double[] z = scale(y, x);
          return y[0] * y[1] + y[2];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Unused", SOURCE);
    user = c.load("demo.Unused");
    grad = c.load("demo.UnusedGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("k", r -> new Object[] {vector(r, 3, -2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("dropped", r -> new Object[] {vector(r, 3, -2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("writesButResultUnused", r -> new Object[] {vector(r, 3, -2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("rowWriter", r -> new Object[] {matrix(r, 2, 3, -2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("loopWithBreak", r -> new Object[] {vector(r, 3, -1, 1), r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("usedTwice", r -> new Object[] {vector(r, 3, -2, 2), r.nextDouble(-2, 2)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void bugReport() {
    // d(x * a0) = (x, 0, 0) for a and a0 for x
    of("k", r -> null, 0, 1).harness(user, grad)
        .checkClosedForm(new Object[] {new double[] {2, 3, 4}, 5.0}, new double[] {5, 0, 0, 2}, 1e-15);
  }
}
