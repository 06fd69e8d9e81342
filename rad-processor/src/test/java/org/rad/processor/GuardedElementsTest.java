package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * Found by a user-style round (linear algebra), with the flat storage below: a Cholesky
 * factorization split by {@code if (i ==
 * j) l[i][j] = Math.sqrt(s); else l[i][j] = s / l[j][j];} recorded every off-diagonal element
 * (190 doubles at n = 20), as the element tests did not use the branch: they could not show
 * {@code l[i][j]} apart from {@code l[j][j]}, nor from the diagonal that the other branch reads.
 * The branch conditions a statement runs under (whose variables the branch does not assign) now
 * count: a difference of indices they show nonzero, also as the difference of two dimensions'
 * differences ({@code (j' - i) - (j' - j)} for a diagonal read), and equalities the reader's own
 * branch shows.
 */
class GuardedElementsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Chol {
        @Differentiable(wrt = "a")
        public static double branched(double[][] a) {
          int n = a.length;
          double[][] l = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
              double s = a[i][j];
              for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
              if (i == j) l[i][j] = Math.sqrt(s);
              else l[i][j] = s / l[j][j];
            }
          }
          double t = 0;
          for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) t += l[i][j] * (1 + 0.1 * j);
          return t;
        }

        @Differentiable(wrt = "a")
        public static double split(double[][] a) {
          int n = a.length;
          double[][] l = new double[n][n];
          for (int j = 0; j < n; j++) {
            double s = a[j][j];
            for (int k = 0; k < j; k++) s -= l[j][k] * l[j][k];
            l[j][j] = Math.sqrt(s);
            for (int i = j + 1; i < n; i++) {
              double r = a[i][j];
              for (int k = 0; k < j; k++) r -= l[i][k] * l[j][k];
              l[i][j] = r / l[j][j];
            }
          }
          double t = 0;
          for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) t += l[i][j] * (1 + 0.1 * j);
          return t;
        }

        // row-major flat storage, a fresh copy factored in place column by column
        @Differentiable(wrt = "a0")
        public static double flat(double[] a0, int n) {
          double[] a = a0.clone();
          for (int j = 0; j < n; j++) {
            double d = a[j * n + j];
            for (int k = 0; k < j; k++) d -= a[j * n + k] * a[j * n + k];
            d = Math.sqrt(d);
            a[j * n + j] = d;
            for (int i = j + 1; i < n; i++) {
              double s = a[i * n + j];
              for (int k = 0; k < j; k++) s -= a[i * n + k] * a[j * n + k];
              a[i * n + j] = s / d;
            }
          }
          double ld = 0;
          for (int i = 0; i < n; i++) ld += Math.log(a[i * n + i]);
          return 2 * ld;
        }

        @Differentiable(wrt = "a0")
        public static double rows(double[][] a0, int n) {
          double[][] a = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = a0[i][j];
          for (int j = 0; j < n; j++) {
            double d = a[j][j];
            for (int k = 0; k < j; k++) d -= a[j][k] * a[j][k];
            d = Math.sqrt(d);
            a[j][j] = d;
            for (int i = j + 1; i < n; i++) {
              double s = a[i][j];
              for (int k = 0; k < j; k++) s -= a[i][k] * a[j][k];
              a[i][j] = s / d;
            }
          }
          double ld = 0;
          for (int i = 0; i < n; i++) ld += Math.log(a[i][i]);
          return 2 * ld;
        }

        // the branch changes what its condition reads: the condition does not hold below it
        @Differentiable(wrt = "w")
        public static double moved(double[] w) {
          int n = w.length;
          double[] v = w.clone();
          double s = 0;
          for (int i = 0; i + 1 < n; i++) {
            int j = i + 1;
            s += v[i] * v[j];
            if (j != i) {
              j = i;
              v[i] = v[j] * 0.5 + v[i + 1];
            }
          }
          return s + v[0];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Chol", SOURCE);
    user = c.load("demo.Chol");
    grad = c.load("demo.CholGrad");
  }

  static double[][] spd(java.util.SplittableRandom r, int n) {
    double[][] m = matrix(r, n, n, -0.5, 0.5);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        for (int k = 0; k < n; k++) {
          a[i][j] += m[i][k] * m[j][k];
        }
      }
      a[i][i] += n;
    }
    return a;
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("branched", r -> new Object[] {spd(r, 5)}, 0),
        of("split", r -> new Object[] {spd(r, 5)}, 0),
        of("moved", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("flat", r -> new Object[] {flat(spd(r, 4)), 4}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  static double[] flat(double[][] m) {
    double[] f = new double[m.length * m.length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, f, i * m.length, m.length);
    }
    return f;
  }

  /**
   * Row-major flat storage {@code a[i * n + j]} with {@code 0 <= j < n} is read as rows {@code
   * (i, j)}: the flat factorization records what the one on rows does (found by a user-style
   * round: it recorded every element, 7,696 bytes at n = 30 against 3,976).
   */
  @Test
  void flatIndicesAreReadAsRows() throws Exception {
    int n = 30;
    double[][] a = spd(new java.util.SplittableRandom(5), n);
    Method flat = grad.getMethod("flat", double[].class, int.class, double[].class, RadContext.class);
    RadContext ctx = RadContext.exact();
    flat.invoke(null, flat(a), n, new double[n * n], ctx);
    long flatTape = ctx.peakTapeBytes();
    Method rows = grad.getMethod("rows", double[][].class, int.class, double[][].class, RadContext.class);
    ctx = RadContext.exact();
    rows.invoke(null, a, n, new double[n][n], ctx);
    // (the rows form hands over n row references more)
    assertTrue(flatTape <= ctx.peakTapeBytes(), flatTape + " against " + ctx.peakTapeBytes());
  }

  private static long tape(String name, double[][] a) throws Exception {
    Method m = grad.getMethod(name, double[][].class, double[][].class, RadContext.class);
    RadContext ctx = RadContext.exact();
    m.invoke(null, a, new double[a.length][a.length], ctx);
    return ctx.peakTapeBytes();
  }

  /**
   * The branched form records no element of l: at n = 20 it tapes the split form's bytes and one
   * double per row more (its s of the diagonal), where it took 1,520 bytes more before.
   */
  @Test
  void theBranchKeepsTheElementsApart() throws Exception {
    double[][] a = spd(new java.util.SplittableRandom(3), 20);
    long branched = tape("branched", a);
    long split = tape("split", a);
    assertTrue(branched <= split + 20 * 8, branched + " against " + split);
    assertEquals(0, Compiled.method(Compiled.compile("demo.Chol", SOURCE).generatedSource("demo.CholGrad"),
        "static double branchedForward").split("pushDouble[(]l").length - 1);
  }
}
