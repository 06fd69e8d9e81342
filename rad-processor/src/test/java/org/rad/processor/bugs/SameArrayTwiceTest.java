package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import com.google.testing.compile.Compilation;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Issue 14: one array passed twice to a helper that writes into it ({@code hw(a, a, x)}), which the
 * README neither allowed nor forbade, was rejected. It now runs a variant of the helper
 * differentiated with those parameters as one array (nothing is copied: the program computes what
 * it computes in Java), whether the compiler sees the arguments are one array (the same variable,
 * a matrix and one of its rows) or only may be (an entry method called as a helper). The helper
 * reads elements that it has already overwritten through the other parameter, and
 * {@code scaleByFirst}'s reverse sweep would re-derive {@code first} from the array the helper
 * overwrote, were it differentiated assuming distinct arrays. An operation without a body (an EJML rule) cannot be
 * specialized: it stays a compile error that names the arrays, as does a call in a for loop's
 * header, which cannot be versioned where it stands.
 */
class SameArrayTwiceTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Twice {
        static void hw(double[] dst, double[] src, double x) {
          for (int i = 0; i < dst.length; i++) dst[i] = src[i] * src[(i + 1) % src.length] * x + Math.sin(dst[i]);
        }

        @Differentiable(wrt = {"a", "x"})
        public static double twice(double[] a, double x) {
          hw(a, a, x);
          double s = 0;
          for (int i = 0; i < a.length; i++) s += a[i] * a[i] * (i + 1);
          return s;
        }

        // first is re-derived in the reverse sweep when src is not written: from the final dst
        // when src is dst
        static void scaleByFirst(double[] dst, double[] src, double x) {
          double first = src[0];
          for (int i = 0; i < dst.length; i++) dst[i] = dst[i] * first * x;
        }

        @Differentiable(wrt = {"a", "x"})
        public static double firstTwice(double[] a, double x) {
          scaleByFirst(a, a, x);
          return a[0] * a[1] + a[2];
        }

        static void addRow(double[][] m, double[] r, double c) {
          for (int i = 0; i < m.length; i++) for (int j = 0; j < r.length; j++) m[i][j] += c * r[j] * m[i][j];
        }

        @Differentiable(wrt = {"m", "c"})
        public static double matrixAndRow(double[][] m, double c) {
          addRow(m, m[1], c);
          double s = 0;
          for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) s += m[i][j] * m[i][j];
          return s;
        }

        @Differentiable(wrt = {"a"})
        public static double entryHelper(double[] a, double[] b, double x) {
          hw(a, b, x);
          return a[0] * b[1] + a[1];
        }

        @Differentiable(wrt = {"a", "x"})
        public static double callsEntry(double[] a, double x) {
          double[] b = a.clone();
          double r = entryHelper(a, a, x) + entryHelper(b, a, x * 2);
          double[] c = new double[a.length];
          hw(c, c, 1.5);
          return r + c[0] * a[2];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Twice", SOURCE);
    user = c.load("demo.Twice");
    grad = c.load("demo.TwiceGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("twice", r -> new Object[] {vector(r, 5, -1, 1), r.nextDouble(0.2, 1.5)}, 0, 1),
        of("firstTwice", r -> new Object[] {vector(r, 3, 0.5, 1.5), r.nextDouble(0.2, 1.5)}, 0, 1),
        of("matrixAndRow", r -> new Object[] {matrix(r, 3, 4, -1, 1), r.nextDouble(0.2, 1.5)}, 0, 1),
        of("callsEntry", r -> new Object[] {vector(r, 4, -1, 1), r.nextDouble(0.2, 1.5)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void aCallInAForHeaderIsAnErrorAtItsLine() {
    Compilation c = Compiled.compileExpectingFailure("demo.Header", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Header {
          static double hw(double[] dst, double[] src) {
            dst[0] = src[0] * src[1];
            return dst[0];
          }
          @Differentiable
          static double f(double[] a, int k) {
            double[] b = k > 0 ? a : new double[2];
            double s = 0;
            for (double r = hw(a, b); s < 3; s += 1) {
              s += r * a[1];
            }
            return s;
          }
        }
        """);
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors().get(0).getMessage(null)).contains("passing a and b, which may be the same array, to hw");
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(12L);
  }

  @Test
  void anOperationWithoutABodyIsAnErrorNamingTheArrays() {
    Compilation c = Compiled.compileExpectingFailure("ej.Maybe", """
        package ej;
        import org.ejml.data.DMatrixRMaj;
        import org.ejml.dense.row.CommonOps_DDRM;
        import org.rad.annotations.Differentiable;
        public class Maybe {
          @Differentiable(wrt = {"a"})
          static double f(DMatrixRMaj a, DMatrixRMaj b, int k) {
            DMatrixRMaj c = k > 0 ? a : b;
            CommonOps_DDRM.mult(a, b, c);
            return CommonOps_DDRM.elementSum(c);
          }
        }
        """);
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors()).hasSize(1);
    assertThat(c.errors().get(0).getMessage(null)).contains("passing a and c, which may be the same array");
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(9L);
  }
}
