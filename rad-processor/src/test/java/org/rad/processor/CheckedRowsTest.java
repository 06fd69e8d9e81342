package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * A {@code double[][]} (or {@code double[][][]}) parameter a method writes into has its rows
 * taken as distinct objects, as a matrix the method allocates has, and the public gradient method
 * checks that a caller's are ({@code Arguments.requireDistinctRows}). Element records then tell rows apart: a
 * column-oriented in-place Cholesky of a caller's matrix, found by a user-style round (a Gaussian
 * process's likelihood), recorded every below-diagonal element besides the numerator it needs
 * (3,048 bytes at n = 20, where 1,528 are needed). A caller's matrix whose rows are one array is
 * refused with an IllegalArgumentException by the public gradient method.
 */
class CheckedRowsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Chol {
        @Differentiable(wrt = "a")
        static double logDet(double[][] a) {
          int n = a.length;
          for (int j = 0; j < n; j++) {
            double s = a[j][j];
            for (int k = 0; k < j; k++) s -= a[j][k] * a[j][k];
            a[j][j] = Math.sqrt(s);
            for (int i = j + 1; i < n; i++) {
              double t = a[i][j];
              for (int k = 0; k < j; k++) t -= a[i][k] * a[j][k];
              a[i][j] = t / a[j][j];
            }
          }
          double ld = 0;
          for (int i = 0; i < n; i++) ld += 2 * Math.log(a[i][i]);
          return ld;
        }

        // the factorization in a helper, called on each slice of a stack
        static void factor(double[][] a) {
          int n = a.length;
          for (int j = 0; j < n; j++) {
            a[j][j] = Math.sqrt(a[j][j]);
            for (int i = j + 1; i < n; i++) a[i][j] = a[i][j] / a[j][j];
            for (int i = j + 1; i < n; i++) {
              for (int k = j + 1; k <= i; k++) a[i][k] -= a[i][j] * a[k][j];
            }
          }
        }

        @Differentiable(wrt = "s")
        static double stack(double[][][] s) {
          double ld = 0;
          for (int m = 0; m < s.length; m++) {
            factor(s[m]);
            for (int i = 0; i < s[m].length; i++) ld += Math.log(s[m][i][i]);
          }
          return ld;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Chol", SOURCE);
    user = c.load("demo.Chol");
    grad = c.load("demo.CholGrad");
    generated = c.generatedSource("demo.CholGrad");
  }

  /**
   * The check runs once per gradient call, in the public methods: within the subset nothing makes
   * two rows one array. (A check in each method's forward sweep made a helper called once per row
   * quadratic: 14 s against 3 ms for 20,000 rows, found by a tester.)
   */
  @Test
  void theRowsAreCheckedOncePerGradientCall() {
    assertEquals(2, generated.split("Arguments.requireDistinctRows\\(", -1).length - 1, generated);
    assertTrue(generated.contains("Arguments.requireDistinctRows(a, \"logDet\", \"a\")"));
    assertTrue(generated.contains("Arguments.requireDistinctRows(s, \"stack\", \"s\")"));
  }

  static double[][] spd(int n, double shift) {
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = Math.exp(-0.3 * (i - j) * (i - j)) + (i == j ? shift : 0);
      }
    }
    return a;
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("logDet", r -> new Object[] {spd(5, r.nextDouble(0.5, 1.5))}, 0).points(4),
        of("stack", r -> new Object[] {new double[][][] {spd(4, r.nextDouble(0.5, 1.5)), spd(4, 2.0)}}, 0).points(4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void theCholeskyRecordsOneValuePerElementBelowTheDiagonal() throws Exception {
    Method g = grad.getDeclaredMethod("logDet", double[][].class, double[][].class, RadContext.class);
    RadContext ctx = RadContext.exact();
    g.invoke(null, spd(20, 0.5), new double[20][20], ctx);
    // t per element below the diagonal, and t handed over at the end (3,048 before)
    assertEquals(8 * (20 * 19 / 2) + 8, ctx.peakTapeBytes());
  }

  @Test
  void rowsThatAreOneArrayAreRefused() throws Exception {
    Method g = grad.getDeclaredMethod("logDet", double[][].class, double[][].class);
    double[][] a = spd(3, 1.0);
    a[2] = a[1];
    InvocationTargetException e = assertThrows(InvocationTargetException.class, () -> g.invoke(null, a, new double[3][3]));
    assertTrue(e.getCause() instanceof IllegalArgumentException
        && e.getCause().getMessage().startsWith("logDet: two rows of a are one array"), String.valueOf(e.getCause()));
    Method h = grad.getDeclaredMethod("stack", double[][][].class, double[][][].class);
    double[][] shared = spd(3, 1.0);
    double[][][] s = {shared, spd(3, 1.0)};
    s[1][0] = shared[0];
    InvocationTargetException f = assertThrows(InvocationTargetException.class,
        () -> h.invoke(null, s, new double[][][] {new double[3][3], new double[3][3]}));
    assertTrue(f.getCause() instanceof IllegalArgumentException
        && f.getCause().getMessage().startsWith("stack: two slices or rows of s are one array"), String.valueOf(f.getCause()));
  }
}
