package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A DP table kept flat, row-major with a stride declared {@code int ld = m + 1} ({@code r[i * ld +
 * j]}, as code ported from C writes it), records no cell's old value: the element analysis reads
 * the flat index as a row and a column, the column within the stride by the stride's definition.
 * It recorded every cell (41,457 bytes at n = m = 50, where the same code on a {@code double[][]}
 * records 22,681).
 */
class FlatTableRecordsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Flat {
        static double softmin(double a, double b, double c, double g) {
          double mx = Math.max(-a / g, Math.max(-b / g, -c / g));
          return -g * (mx + Math.log(Math.exp(-a / g - mx) + Math.exp(-b / g - mx) + Math.exp(-c / g - mx)));
        }

        @Differentiable(wrt = {"x", "y"})
        public static double flat(double[] x, double[] y, double gamma) {
          int n = x.length, m = y.length, ld = m + 1;
          double[] r = new double[(n + 1) * ld];
          for (int k = 0; k < r.length; k++) r[k] = 1e10;
          r[0] = 0;
          for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
              double d = x[i - 1] - y[j - 1];
              r[i * ld + j] = d * d + softmin(r[(i - 1) * ld + j], r[i * ld + j - 1], r[(i - 1) * ld + j - 1], gamma);
            }
          }
          return r[n * ld + m];
        }

        @Differentiable(wrt = {"x", "y"})
        public static double nested(double[] x, double[] y, double gamma) {
          int n = x.length, m = y.length;
          double[][] r = new double[n + 1][m + 1];
          for (int i = 0; i <= n; i++) for (int j = 0; j <= m; j++) r[i][j] = 1e10;
          r[0][0] = 0;
          for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
              double d = x[i - 1] - y[j - 1];
              r[i][j] = d * d + softmin(r[i - 1][j], r[i][j - 1], r[i - 1][j - 1], gamma);
            }
          }
          return r[n][m];
        }

        // a scan down the columns of a flat table through an index local
        @Differentiable(wrt = "a")
        public static double columnScan(double[] a, int rows, int cols) {
          double[] b = a.clone();
          for (int c = 0; c < cols; c++) {
            for (int r = 1; r < rows; r++) {
              int idx = r * cols + c;
              b[idx] = b[idx] * 0.5 + b[idx - cols] * b[idx - cols];
            }
          }
          double s = 0;
          for (int k = 0; k < b.length; k++) s += b[k];
          return s;
        }

        // the same scan along the flat array
        @Differentiable(wrt = "a")
        public static double rowScan(double[] a, int rows, int cols) {
          double[] b = a.clone();
          for (int i = 1; i < b.length; i++) b[i] = b[i] * 0.5 + b[i - 1] * b[i - 1];
          double s = 0;
          for (int k = 0; k < b.length; k++) s += b[k];
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Flat", SOURCE);
    user = c.load("demo.Flat");
    grad = c.load("demo.FlatGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("flat", r -> new Object[] {vector(r, 6, -1, 1), vector(r, 5, -1, 1), 0.5}, 0, 1),
        of("nested", r -> new Object[] {vector(r, 6, -1, 1), vector(r, 5, -1, 1), 0.5}, 0, 1),
        of("columnScan", r -> new Object[] {vector(r, 12, -0.5, 0.5), 4, 3}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** n = m = 50: the flat table records no more than the nested one (no cell's old value). */
  @Test
  void aFlatTableRecordsNoMoreThanTheNestedOne() throws Exception {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    double[] x = vector(r, 50, -1, 1);
    double[] y = vector(r, 50, -1, 1);
    java.util.function.Supplier<Object[]> args = () -> new Object[] {x, y, 0.5, new double[50], new double[50]};
    long flat = LateRecomputationTest.tape(grad, "flat", args);
    long nested = LateRecomputationTest.tape(grad, "nested", args);
    assertTrue(flat <= nested, "flat " + flat + " bytes against nested " + nested);
  }

  /**
   * 64 x 64: the column scan records no element, as the scan along the array (it recorded every
   * element's old value through its index local: 65,048 bytes against 32,792 with the clone).
   */
  @Test
  void aColumnScanThroughAnIndexLocalRecordsWhatTheRowScanRecords() throws Exception {
    double[] a = vector(new java.util.SplittableRandom(11), 64 * 64, -0.1, 0.1);
    java.util.function.Supplier<Object[]> args = () -> new Object[] {a, 64, 64, new double[64 * 64]};
    assertEquals(LateRecomputationTest.tape(grad, "rowScan", args), LateRecomputationTest.tape(grad, "columnScan", args));
  }
}
