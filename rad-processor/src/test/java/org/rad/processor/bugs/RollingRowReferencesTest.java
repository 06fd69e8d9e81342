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
 * Found by a user-style test: a row reference assigned another row later ({@code row = u[1]}, {@code
 * mid = u[i]} in a loop, rolling {@code up = mid; mid = dn; dn = u[i + 1]} over a field written in
 * place) was rejected ("reassigning the row reference ... declare a new local for each row"),
 * though the README lists row references later assigned another array. Such a variable is an
 * array reference like any other: its old row is recorded where the reverse sweep needs it, and its
 * adjoint is the row's, found by the row's identity.
 */
class RollingRowReferencesTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Rows {
        @Differentiable(wrt = {"u"})
        public static double a(double[][] u) {
          double[] row = u[0];
          double s = row[0] * row[1];
          row = u[1];
          s += row[0] * row[1];
          return s;
        }
        @Differentiable(wrt = {"u"})
        public static double b(double[][] u) {
          double[] mid;
          double s = 0;
          for (int i = 0; i < u.length; i++) {
            mid = u[i];
            s += mid[0] * mid[1];
          }
          return s;
        }
        @Differentiable(wrt = {"u"})
        public static double c(double[][] u) {
          double[] up = u[0], mid = u[1];
          double s = 0;
          for (int i = 1; i < u.length; i++) {
            s += up[0] * mid[1];
            up = mid;
            if (i + 1 < u.length) mid = u[i + 1];
          }
          return s;
        }
        // rolling rows of a local field written in place, stencil, several steps
        @Differentiable(wrt = {"u0", "k"})
        public static double d(double[][] u0, double k) {
          int n = u0.length, m = u0[0].length;
          double[][] u = new double[n][m];
          for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) u[i][j] = u0[i][j];
          double s = 0;
          for (int step = 0; step < 3; step++) {
            double[] up = u[0];
            double[] mid = u[1];
            for (int i = 1; i < n - 1; i++) {
              double[] dn = u[i + 1];
              for (int j = 1; j < m - 1; j++) {
                mid[j] = mid[j] + k * (up[j] + dn[j] - 2 * mid[j]) + 0.1 * Math.sin(mid[j]);
              }
              up = mid;
              mid = dn;
            }
            for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) s += u[i][j] * u[i][j];
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
    return Stream.of(
        of("a", r -> new Object[] {matrix(r, 3, 2, -1, 1)}, 0),
        of("b", r -> new Object[] {matrix(r, 4, 2, -1, 1)}, 0),
        of("c", r -> new Object[] {matrix(r, 4, 2, -1, 1)}, 0),
        of("d", r -> new Object[] {matrix(r, 5, 4, -1, 1), r.nextDouble(0.05, 0.3)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
