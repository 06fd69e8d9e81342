package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * Element-level records (analysis.ElementDependences in the record planner): an overwrite of an
 * element records its old value only where the reverse of an earlier statement may read that
 * element, or its own reverse reads it after restoring it. A DP table written cell by cell, an
 * in-place triangular solve and an in-place prefix product record nothing for their overwrites;
 * Gauss-Seidel sweeps and a shift that runs down over what it reads keep their records, and a
 * table in a caller's matrix whose rows are one array at run time gets its gradient. Every
 * gradient against central differences.
 */
class ElementRecordsGradientTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Tables {
        static double softmin(double a, double b, double c) {
          return -Math.log(Math.exp(-a) + Math.exp(-b) + Math.exp(-c));
        }

        // soft-DTW: each cell written once, from the cells above and to the left
        @Differentiable(wrt = "x")
        static double alignment(double[] x, double[] y) {
          int n = x.length;
          int m = y.length;
          double[][] r = new double[n + 1][m + 1];
          for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= m; j++) {
              r[i][j] = 30;
            }
          }
          r[0][0] = 0;
          for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
              double d = (x[i - 1] - y[j - 1]) * (x[i - 1] - y[j - 1]);
              r[i][j] = d + softmin(r[i - 1][j], r[i][j - 1], r[i - 1][j - 1]);
            }
          }
          return r[n][m];
        }

        // forward substitution in place: z[i] -= l[i][k] z[k] reads only rows before i
        @Differentiable(wrt = {"l", "b"})
        static double solve(double[][] l, double[] b) {
          int n = b.length;
          double[] z = b.clone();
          for (int i = 0; i < n; i++) {
            for (int k = 0; k < i; k++) {
              z[i] -= l[i][k] * z[k];
            }
            z[i] /= 2 + l[i][i] * l[i][i];
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += z[i] * z[i] * (i + 1);
          }
          return s;
        }

        // in-place prefix products: x[i] = x[i - 1] * w[i] reads the element before, written already
        @Differentiable(wrt = "w")
        static double prefix(double[] w) {
          double[] x = new double[w.length];
          x[0] = w[0];
          for (int i = 1; i < w.length; i++) {
            x[i] = x[i - 1] * Math.sin(w[i]) + x[i] * x[i];
          }
          double s = 0;
          for (double v : x) {
            s += v;
          }
          return s;
        }

        // Gauss-Seidel: each sweep reads what the sweep before wrote
        @Differentiable(wrt = "f")
        static double relax(double[] f, int sweeps) {
          int n = f.length;
          double[] u = new double[n + 2];
          for (int s = 0; s < sweeps; s++) {
            for (int i = 1; i <= n; i++) {
              u[i] = 0.5 * (u[i - 1] + u[i + 1]) + 0.1 * f[i - 1] * u[i] * u[i] + f[i - 1];
            }
          }
          double e = 0;
          for (int i = 1; i <= n; i++) {
            e += u[i] * u[i] * u[i];
          }
          return e;
        }

        // a shift down over the elements it reads: iteration i + 1 read x[i] before i overwrites it
        @Differentiable(wrt = "w")
        static double shiftDown(double[] w) {
          int n = w.length;
          double[] x = w.clone();
          for (int i = n - 1; i >= 1; i--) {
            x[i] = x[i - 1] * x[i - 1] + x[i];
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += x[i] * x[i] * (i + 1);
          }
          return s;
        }

        // a table in a matrix the caller passes: its rows may be one array
        @Differentiable(wrt = "x")
        public static double inCallersTable(double[] x, double[][] t) {
          int n = t.length;
          for (int j = 0; j < t[0].length; j++) {
            t[0][j] = x[j];
          }
          for (int i = 1; i < n; i++) {
            for (int j = 1; j < t[0].length; j++) {
              t[i][j] = Math.sin(t[i - 1][j]) * t[i][j - 1] + t[i - 1][j - 1];
            }
          }
          return t[n - 1][t[0].length - 1] + t[1][1];
        }
      }
      """;

  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Tables", SOURCE);
    user = compiled.load("demo.Tables");
    grad = compiled.load("demo.TablesGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("alignment", r -> new Object[] {vector(r, 6, -1, 1), vector(r, 7, -1, 1)}, 0),
        of("solve", r -> new Object[] {matrix(r, 5, 5, -1, 1), vector(r, 5, -1, 1)}, 0, 1),
        of("prefix", r -> new Object[] {vector(r, 6, -1, 1)}, 0),
        of("relax", r -> new Object[] {vector(r, 6, -0.5, 0.5), 4}, 0),
        of("shiftDown", r -> new Object[] {vector(r, 6, -1, 1)}, 0),
        of("inCallersTable", r -> new Object[] {vector(r, 4, -1, 1), matrix(r, 4, 4, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** The table's cells record nothing: the forward sweep only hands the table over at its end. */
  @Test
  void aTableWrittenOnceRecordsNoCell() {
    String forward = forward("alignment");
    assertFalse(forward.contains("ctx.pushDouble"), forward);
    assertTrue(forward.contains("ctx.pushRef(r);"), forward);
  }

  /**
   * The solve records the value each row divides, one double per row, and holds z (another double
   * per row), not one double per update (n (n - 1) / 2 of them, 145 more from n = 10 to 20).
   */
  @Test
  void anInPlaceSolveRecordsOnePerRow() throws Exception {
    assertEquals(16L * 10, tape("solve", new double[20][20], new double[20]) - tape("solve", new double[10][10],
        new double[10]));
  }

  /** The sweeps and the downward shift record the old values their reverse sweeps read. */
  @Test
  void readsOfTheOldValueKeepTheirRecords() {
    assertTrue(forward("relax").contains("ctx.pushDoubles(u"), forward("relax"));
    assertTrue(forward("shiftDown").contains("ctx.pushDouble(x[i])"), forward("shiftDown"));
  }

  static String forward(String method) {
    String source = compiled.generatedSource("demo.TablesGrad");
    int start = source.indexOf("static double " + method + "Forward(");
    return source.substring(start, source.indexOf("\n  }\n", start));
  }

  static long tape(String name, Object... args) throws Exception {
    RadContext ctx = RadContext.exact();
    Method g = null;
    for (Method m : grad.getDeclaredMethods()) {
      if (m.getName().equals(name) && m.getParameterCount() > 0
          && m.getParameterTypes()[m.getParameterCount() - 1] == RadContext.class) {
        g = m;
      }
    }
    Object[] all = new Object[g.getParameterCount()];
    System.arraycopy(args, 0, all, 0, args.length);
    for (int k = args.length; k < all.length - 1; k++) {
      Class<?> t = g.getParameterTypes()[k];
      Object like = args[k - args.length];
      all[k] = t == double[][].class ? new double[((double[][]) like).length][((double[][]) like)[0].length]
          : new double[((double[]) like).length];
    }
    all[all.length - 1] = ctx;
    g.invoke(null, all);
    return ctx.peakTapeBytes();
  }

  /**
   * inCallersTable with rows 1 and 2 of the table one array (rows cannot be stored in the subset,
   * so a caller's matrix is the one way to share them). The method writes into the table, whose
   * rows its records take as distinct objects (checked when it starts): such a table is refused
   * with an IllegalArgumentException that says so, never given a wrong gradient. The same table
   * with distinct rows: central differences, each evaluation on a new table.
   */
  @Test
  void aCallersTableWithSharedRowsIsRefused() throws Exception {
    Method f = user.getDeclaredMethod("inCallersTable", double[].class, double[][].class);
    Method g = grad.getDeclaredMethod("inCallersTable", double[].class, double[][].class, double[].class);
    double[] x = {0.3, -0.7, 0.5, 0.9};
    java.lang.reflect.InvocationTargetException refused = org.junit.jupiter.api.Assertions.assertThrows(
        java.lang.reflect.InvocationTargetException.class, () -> g.invoke(null, x.clone(), sharedRows(), new double[4]));
    assertTrue(refused.getCause() instanceof IllegalArgumentException
        && refused.getCause().getMessage().contains("two rows of t are one array"), String.valueOf(refused.getCause()));
    double[] xBar = new double[4];
    g.invoke(null, x.clone(), distinctRows(), xBar);
    for (int c = 0; c < 4; c++) {
      double h = 1e-6;
      double[] up = x.clone();
      double[] down = x.clone();
      up[c] += h;
      down[c] -= h;
      double fd = ((double) f.invoke(null, up, distinctRows()) - (double) f.invoke(null, down, distinctRows())) / (2 * h);
      assertEquals(fd, xBar[c], 1e-6 * Math.max(1, Math.abs(fd)), "component " + c);
    }
  }

  static double[][] distinctRows() {
    double[][] t = new double[4][];
    for (int i = 0; i < 4; i++) {
      t[i] = new double[] {0.1 * i, 0.2, -0.3 * i, 0.4};
    }
    return t;
  }

  static double[][] sharedRows() {
    double[][] t = new double[4][];
    for (int i = 0; i < 4; i++) {
      t[i] = new double[] {0.1 * i, 0.2, -0.3 * i, 0.4};
    }
    t[2] = t[1];
    return t;
  }
}
