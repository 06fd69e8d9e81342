package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Row references ({@code double[] rr = m[r]}) record what the same code indexed ({@code m[r][c]})
 * records: the element analysis compares them as the rows they hold. A Gaussian elimination's
 * update {@code rr[c] -= f * rp[c]} is linear in the old value and never reads its own row as the
 * pivot row, so it records nothing; a DP table filled through {@code up = r[i - 1]}, {@code cur =
 * r[i]} records only what the indexed table does. An update from the pivot column on ({@code c} from
 * {@code p}) records only the element its first iteration overwrites. Where a reference may be the row another one
 * holds ({@code r} from {@code p}), the records stay.
 */
class RowReferenceRecordsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Rows {
        // the determinant as the product of the pivots of an elimination without pivoting
        @Differentiable(wrt = "a")
        public static double eliminationRows(double[][] a) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double det = 1;
          for (int p = 0; p < n; p++) {
            double[] rp = m[p];
            det *= rp[p];
            for (int r = p + 1; r < n; r++) {
              double[] rr = m[r];
              double f = rr[p] / rp[p];
              for (int c = p + 1; c < n; c++) rr[c] -= f * rp[c];
            }
          }
          return det;
        }

        @Differentiable(wrt = "a")
        public static double eliminationIndexed(double[][] a) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double det = 1;
          for (int p = 0; p < n; p++) {
            det *= m[p][p];
            for (int r = p + 1; r < n; r++) {
              double f = m[r][p] / m[p][p];
              for (int c = p + 1; c < n; c++) m[r][c] -= f * m[p][c];
            }
          }
          return det;
        }

        // the same elimination in a caller's scratch matrix, whose rows may be one array
        @Differentiable(wrt = "a")
        public static double eliminationScratch(double[][] a, double[][] m) {
          int n = a.length;
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double det = 1;
          for (int p = 0; p < n; p++) {
            double[] rp = m[p];
            det *= rp[p] + 2;
            for (int r = p + 1; r < n; r++) {
              double[] rr = m[r];
              double f = rr[p] / (rp[p] + 2);
              for (int c = p + 1; c < n; c++) rr[c] -= f * rp[c];
            }
          }
          return det;
        }

        // the update from the pivot column on: the first iteration overwrites rr[p], which f read
        @Differentiable(wrt = "a")
        public static double eliminationFromThePivotColumn(double[][] a) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double s = 0;
          for (int p = 0; p < n; p++) {
            double[] rp = m[p];
            for (int r = p + 1; r < n; r++) {
              double[] rr = m[r];
              double f = rr[p] / rp[p];
              for (int c = p; c < n; c++) rr[c] -= f * rp[c];
            }
          }
          for (int i = 0; i < n; i++) s += Math.log(Math.abs(m[i][i]));
          return s;
        }

        // the same update as a while loop over its own counter
        @Differentiable(wrt = "a")
        public static double eliminationWhile(double[][] a) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double s = 0;
          for (int p = 0; p < n; p++) {
            double[] rp = m[p];
            for (int r = p + 1; r < n; r++) {
              double[] rr = m[r];
              double f = rr[p] / rp[p];
              int c = p;
              while (c < n) {
                rr[c] -= f * rp[c];
                c++;
              }
            }
          }
          for (int i = 0; i < n; i++) s += Math.log(Math.abs(m[i][i]));
          return s;
        }

        @Differentiable(wrt = "a")
        public static double eliminationPastThePivotColumn(double[][] a) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double s = 0;
          for (int p = 0; p < n; p++) {
            double[] rp = m[p];
            for (int r = p + 1; r < n; r++) {
              double[] rr = m[r];
              double f = rr[p] / rp[p];
              for (int c = p + 1; c < n; c++) rr[c] -= f * rp[c];
            }
          }
          for (int i = 0; i < n; i++) s += Math.log(Math.abs(m[i][i]));
          return s;
        }

        // one pivot step of a tableau: every other row loses its pivot column, whose element the
        // multiplier read, in the middle of the update of every column
        @Differentiable(wrt = "a")
        public static double pivotStep(double[][] a, int k) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double[] rk = m[k];
          for (int r = 0; r < n; r++) {
            if (r == k) continue;
            double[] rr = m[r];
            double f = rr[k] / rk[k];
            for (int c = 0; c < n; c++) rr[c] -= f * rk[c];
          }
          double s = 0;
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += m[i][j] * m[i][j] * (1 + 0.1 * i + 0.01 * j);
          return s;
        }

        // the same with the pivot column's update written apart
        @Differentiable(wrt = "a")
        public static double pivotStepApart(double[][] a, int k) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double[] rk = m[k];
          for (int r = 0; r < n; r++) {
            if (r == k) continue;
            double[] rr = m[r];
            double f = rr[k] / rk[k];
            for (int c = 0; c < n; c++) {
              if (c != k) rr[c] -= f * rk[c];
            }
            rr[k] -= f * rk[k];
          }
          double s = 0;
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += m[i][j] * m[i][j] * (1 + 0.1 * i + 0.01 * j);
          return s;
        }

        // the pivot row updated too (r from p): there rr is rp, and the update reads what it writes
        @Differentiable(wrt = "a")
        public static double eliminationFromThePivot(double[][] a) {
          int n = a.length;
          double[][] m = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = a[i][j];
          double det = 1;
          for (int p = 0; p < n; p++) {
            double[] rp = m[p];
            det *= rp[p];
            for (int r = p; r < n; r++) {
              double[] rr = m[r];
              double f = 0.5 * rr[p] / rp[p];
              for (int c = p + 1; c < n; c++) rr[c] -= f * rp[c];
            }
          }
          return det;
        }

        // a soft-minimum DP over two sequences, through the rows above and at the cell
        @Differentiable
        public static double tableRows(double[] x, double[] y) {
          int n = x.length, w = y.length;
          double[][] t = new double[n + 1][w + 1];
          for (int j = 0; j <= w; j++) t[0][j] = 0.2 * j;
          for (int i = 1; i <= n; i++) {
            double[] up = t[i - 1];
            double[] cur = t[i];
            cur[0] = up[0] + x[i - 1];
            for (int j = 1; j <= w; j++) {
              double a = up[j] + x[i - 1] * y[j - 1];
              double b = cur[j - 1] - y[j - 1];
              double mx = Math.max(a, b);
              cur[j] = 0.7 * (mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx)));
            }
          }
          double s = 0;
          for (int i = 0; i <= n; i++) s += t[i][w] * t[i][w];
          return s;
        }

        @Differentiable
        public static double tableIndexed(double[] x, double[] y) {
          int n = x.length, w = y.length;
          double[][] t = new double[n + 1][w + 1];
          for (int j = 0; j <= w; j++) t[0][j] = 0.2 * j;
          for (int i = 1; i <= n; i++) {
            t[i][0] = t[i - 1][0] + x[i - 1];
            for (int j = 1; j <= w; j++) {
              double a = t[i - 1][j] + x[i - 1] * y[j - 1];
              double b = t[i][j - 1] - y[j - 1];
              double mx = Math.max(a, b);
              t[i][j] = 0.7 * (mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx)));
            }
          }
          double s = 0;
          for (int i = 0; i <= n; i++) s += t[i][w] * t[i][w];
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

  /** A diagonally dominant matrix: the elimination's pivots stay away from zero. */
  static double[][] dominant(java.util.SplittableRandom r, int n) {
    double[][] a = matrix(r, n, n, -1, 1);
    for (int i = 0; i < n; i++) {
      a[i][i] += n;
    }
    return a;
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("eliminationRows", r -> new Object[] {dominant(r, 5)}, 0),
        of("eliminationIndexed", r -> new Object[] {dominant(r, 5)}, 0),
        of("eliminationFromThePivotColumn", r -> new Object[] {dominant(r, 5)}, 0),
        of("eliminationPastThePivotColumn", r -> new Object[] {dominant(r, 5)}, 0),
        of("eliminationWhile", r -> new Object[] {dominant(r, 5)}, 0),
        of("pivotStep", r -> new Object[] {dominant(r, 5), 2}, 0),
        of("pivotStepApart", r -> new Object[] {dominant(r, 5), 2}, 0),
        of("eliminationFromThePivot", r -> new Object[] {dominant(r, 5)}, 0),
        of("eliminationScratch", r -> new Object[] {dominant(r, 5), new double[5][5]}, 0),
        of("tableRows", r -> new Object[] {vector(r, 5, -1, 1), vector(r, 4, -1, 1)}, 0, 1),
        of("tableIndexed", r -> new Object[] {vector(r, 5, -1, 1), vector(r, 4, -1, 1)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * n = 32: the old determinants and multipliers only (13,216 bytes, as indexed); the rows wrote
   * each updated row's old values as well (96,544 bytes).
   */
  @Test
  void anEliminationThroughRowReferencesRecordsWhatTheIndexedOneRecords() throws Exception {
    java.util.function.Supplier<Object[]> args = () -> new Object[] {dominant(new java.util.SplittableRandom(3), 32),
        new double[32][32]};
    assertEquals(LateRecomputationTest.tape(grad, "eliminationIndexed", args),
        LateRecomputationTest.tape(grad, "eliminationRows", args), "rows vs indexed tape bytes");
  }

  /**
   * n = 32: the update from the pivot column on records the one element its first iteration
   * overwrites, {@code rr[p]}, which {@code f} read: one double more per (p, r) than the update past
   * the pivot column (it recorded the row from {@code p} on, 91,272 bytes against 7,944).
   */
  @Test
  void anUpdateFromThePivotColumnRecordsOnlyThePivotColumnsElement() throws Exception {
    int n = 32;
    java.util.function.Supplier<Object[]> args = () -> new Object[] {dominant(new java.util.SplittableRandom(4), n),
        new double[n][n]};
    assertEquals(LateRecomputationTest.tape(grad, "eliminationPastThePivotColumn", args) + 8 * n * (n - 1) / 2,
        LateRecomputationTest.tape(grad, "eliminationFromThePivotColumn", args));
  }

  /** The update written as a while loop over its own counter records what the for loop does (95,244 bytes before). */
  @Test
  void anUpdateWrittenAsAWhileLoopRecordsWhatTheForLoopRecords() throws Exception {
    int n = 32;
    java.util.function.Supplier<Object[]> args = () -> new Object[] {dominant(new java.util.SplittableRandom(8), n),
        new double[n][n]};
    assertEquals(LateRecomputationTest.tape(grad, "eliminationFromThePivotColumn", args),
        LateRecomputationTest.tape(grad, "eliminationWhile", args));
  }

  /**
   * n = 32: a pivot step records, per row, its multiplier and the pivot column's element, in the
   * iteration that overwrites it, as the code with that column's update apart does (it recorded
   * every row whole: 17,176 bytes against 9,488 with the adjoint arrays).
   */
  @Test
  void aPivotStepRecordsThePivotColumnsElementInItsIteration() throws Exception {
    int n = 32;
    java.util.function.Supplier<Object[]> args = () -> new Object[] {dominant(new java.util.SplittableRandom(6), n), 11,
        new double[n][n]};
    assertEquals(LateRecomputationTest.tape(grad, "pivotStepApart", args), LateRecomputationTest.tape(grad, "pivotStep", args));
  }

  /** n = m = 50: as the indexed table (22,369 bytes); the rows recorded 62,385. */
  @Test
  void aTableFilledThroughRowReferencesRecordsWhatTheIndexedOneRecords() throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    double[] x = vector(r, 50, -1, 1);
    double[] y = vector(r, 50, -1, 1);
    java.util.function.Supplier<Object[]> args = () -> new Object[] {x, y, new double[50], new double[50]};
    assertEquals(LateRecomputationTest.tape(grad, "tableIndexed", args),
        LateRecomputationTest.tape(grad, "tableRows", args), "rows vs indexed tape bytes");
  }
}
