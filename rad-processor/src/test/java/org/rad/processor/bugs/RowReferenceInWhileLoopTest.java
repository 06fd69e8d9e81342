package org.rad.processor.bugs;

import java.lang.reflect.Method;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found by a user-style round, in this session's own change (283e69b): a row reference declared
 * in a {@code while} loop over a counter ({@code double[] row = t[k];}, which the front end writes
 * as {@code int indexOfRow = k; double[] row = t[indexOfRow];}) let the index local be recomputed
 * late, and the row reference followed it to the late place, where its adjoint row is not bound:
 * a {@code NullPointerException} in the reverse sweep. A row reference read from a late local now
 * keeps the local recorded. Each gradient is checked against central differences (relative 1e-7).
 */
class RowReferenceInWhileLoopTest {
  static String source(String loop, String result) {
    return """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Rows {
          static boolean more(int k) {
            return k < 2;
          }

          @Differentiable(wrt = "x")
          static double f(double[] x) {
            double[][] t = new double[2][1];
            t[0][0] = x[0];
            t[1][0] = x[1];
            double s = 0;
            %s
            return %s;
          }
        }
        """.formatted(loop, result);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "int k = 0; while (k < 2) { double[] row = t[k]; s += row[0] * row[0]; k++; } | s",
      "int k = 0; while (k < 2) { double[] row = t[k]; row[0] = row[0] + x[2] * x[2]; k++; } | t[0][0] * t[1][0]",
      "for (int k = 0; more(k); k++) { double[] row = t[k]; row[0] = row[0] * x[2]; } | t[0][0] + t[1][0]"})
  void theGradientMatchesCentralDifferences(String shape) throws Exception {
    String[] parts = shape.split(" \\| ");
    Compiled c = Compiled.compile("demo.Rows", source(parts[0], parts[1]));
    Method primal = c.load("demo.Rows").getDeclaredMethod("f", double[].class);
    Method grad = c.load("demo.RowsGrad").getDeclaredMethod("f", double[].class, double[].class, RadContext.class);
    primal.setAccessible(true);
    grad.setAccessible(true);
    double[] x = {0.7, -0.4, 1.3};
    double[] g = new double[3];
    grad.invoke(null, x.clone(), g, RadContext.exact());
    CentralDifferences.assertMatches(y -> (double) primal.invoke(null, (Object) y), x, g, 1e-7);
  }

  /**
   * A row of a {@code double[][][]} whose slice index is the counter advanced later ({@code double[]
   * r = c[k][1]; ... k++;}) was rejected as a row reference the reverse sweep cannot re-derive
   * (a tester's round, older than this session); the 2-D form was accepted, since the index it
   * reads was copied before the row reference. Now the indices of every level are copied.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "int k = 0; while (k < 3) { double[] r = c[k][1]; s += r[0] * r[2]; k++; }",
      "int k = 0; while (k < 3) { double[] r = c[k][k % 2]; r[1] = r[1] * r[0] + x[0]; s += r[1]; k += 1; }"})
  void aSliceRowOverTheCounterIsAccepted(String loop) throws Exception {
    Compiled c = Compiled.compile("demo.Cube", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Cube {
          @Differentiable(wrt = "x")
          static double f(double[] x) {
            double[][][] c = new double[3][2][3];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 2; j++) for (int l = 0; l < 3; l++) c[i][j][l] = x[(i + j + l) %% 3] * (1 + i);
            double s = 0;
            %s
            return s;
          }
        }
        """.formatted(loop));
    Method primal = c.load("demo.Cube").getDeclaredMethod("f", double[].class);
    Method grad = c.load("demo.CubeGrad").getDeclaredMethod("f", double[].class, double[].class, RadContext.class);
    primal.setAccessible(true);
    grad.setAccessible(true);
    double[] x = {0.7, -0.4, 1.3};
    double[] g = new double[3];
    grad.invoke(null, x.clone(), g, RadContext.exact());
    CentralDifferences.assertMatches(y -> (double) primal.invoke(null, (Object) y), x, g, 1e-7);
  }
}
