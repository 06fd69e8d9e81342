package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Issue 14: a row reference ({@code double[] r = m[i];}) in a loop that also breaks, continues or
 * returns early was rejected ("cannot re-derive because what it reads is changed later in its
 * block": the loop left early became a while loop whose body ends with the guarded {@code i++}),
 * as was one whose index or matrix the user changes later in the same block. Each variant writes
 * rows through the reference, reads them through the matrix, and leaves its loop at a
 * data-dependent point; the gradient is checked against central differences and the matrix's final
 * contents against the original method's.
 */
class RowReferenceEarlyExitTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Rows {
        @Differentiable(wrt = {"m"}) public static double brk(double[][] m, double t) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[] r = m[i];
            r[0] = r[0] * r[1];
            s += m[i][0] * r[1];
            if (s > t) break;
          }
          return s;
        }
        @Differentiable(wrt = {"m"}) public static double ret(double[][] m, double t) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[] r = m[i];
            r[1] = r[0] * r[1];
            s += m[i][1] * r[0];
            if (s > t) return s * s;
          }
          return s;
        }
        @Differentiable(wrt = {"m"}) public static double cont(double[][] m, double t) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[] r = m[i];
            if (r[0] > t) continue;
            r[0] = Math.sin(r[1]) * r[0];
            s += m[i][0] * r[0];
          }
          return s;
        }
        // break in the inner (row) loop
        @Differentiable(wrt = {"m"}) public static double innerBreak(double[][] m, double t) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[] r = m[i];
            for (int j = 0; j < r.length; j++) {
              r[j] = r[j] * r[j] + 0.1;
              if (r[j] > t) break;
              s += r[j] * m[i][0];
            }
          }
          return s;
        }
        // return inside the inner loop
        @Differentiable(wrt = {"m"}) public static double innerReturn(double[][] m, double t) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[] r = m[i];
            for (int j = 0; j < r.length; j++) {
              r[j] = Math.sin(r[j]) * s + r[j];
              s += r[j] * m[i][j];
              if (s > t) return s * m[i][0];
            }
          }
          return s;
        }
        // three row references into two buffers, break
        @Differentiable(wrt = {"phi"}) public static double stencil(double[][] phi, double t) {
          double[][] next = new double[phi.length][phi[0].length];
          double s = 0;
          for (int i = 1; i + 1 < phi.length; i++) {
            double[] up = phi[i + 1], mid = phi[i], out = next[i];
            for (int j = 0; j < mid.length; j++) out[j] = mid[j] * up[j] + phi[i - 1][j];
            mid[0] = out[0] * mid[0];
            s += next[i][0] + mid[0] * mid[1];
            if (s > t) break;
          }
          return s;
        }
        // while loop with index declared outside, continue and break
        @Differentiable(wrt = {"m"}) public static double whileRows(double[][] m, double t) {
          double s = 0;
          int i = 0;
          while (i < m.length) {
            double[] r = m[i];
            i++;
            if (r[0] < 0) continue;
            r[1] = r[1] * r[0];
            s += r[1] * r[1];
            if (s > t) break;
          }
          return s + i;
        }
        // for loop, index declared before, early return
        @Differentiable(wrt = {"m"}) public static double outerIndex(double[][] m, double t) {
          double s = 0;
          int i;
          for (i = 0; i < m.length; i++) {
            double[] r = m[i];
            r[0] = r[0] * r[1];
            if (r[0] > t) return s + r[0] * m[i][1];
            s += r[0] * r[0];
          }
          return s * i;
        }
        // only the row's adjoint is needed (the use is linear): it threw in the reverse sweep
        @Differentiable(wrt = {"m"}) public static double linear(double[][] m, double t) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[] r = m[i];
            s += r[0] + 2 * r[1];
            if (s > t) break;
          }
          return s;
        }
        // the matrix the row belongs to is swapped away later in the row's block
        @Differentiable(wrt = {"m"}) public static double swapped(double[][] m, double t) {
          double[][] a = m, b = new double[m.length][m[0].length];
          double s = 0;
          for (int k = 0; k + 1 < m.length; k++) {
            double[] r = a[k];
            for (int j = 0; j < r.length; j++) b[k][j] = r[j] * r[j] + s;
            double[][] tmp = a; a = b; b = tmp;
            s += r[0] * a[k][1] + a[k + 1][0];
            if (s > t) break;
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Rows", SOURCE);
    user = c.load("demo.Rows");
    grad = c.load("demo.RowsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of("brk", "ret", "cont", "innerBreak", "innerReturn", "stencil", "whileRows", "outerIndex", "linear", "swapped")
        .map(name -> of(name, r -> new Object[] {matrix(r, 5, 3, -1, 1.5), r.nextDouble(-0.5, 3)}, 0)
            .points(12).tolerance(1e-6, 1e-5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
