package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * A scalar loaded from an element ({@code double p = mid[j]}) where a later write may change
 * that element ({@code out[j] = ...}, {@code out} and {@code mid} rows of buffers that swap) is
 * recomputed in the reverse sweep after the write's restore, not recorded: the stencil written
 * with row references and a scalar temporary records what the indexed stencil records. Where the
 * rows are one array at run time (an in-place update), the same code is right.
 */
class LateRecomputationTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Stencil {
        // steps of a reaction-diffusion stencil, N x N, with the buffers swapped after each step and
        // a loss summed over the steps
        @Differentiable(wrt = "c")
        public static double rows(double[] c, double[] init, int n, int steps) {
          double[][] phi = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) phi[i][j] = init[i * n + j];
          double s = 0;
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < n - 1; i++) {
              double[] up = phi[i + 1], mid = phi[i], down = phi[i - 1], out = next[i];
              for (int j = 1; j < n - 1; j++) {
                double p = mid[j];
                out[j] = p + 0.1 * (up[j] + down[j] + mid[j + 1] + mid[j - 1] - 4 * p) + c[k] * p;
              }
            }
            double[][] tmp = phi;
            phi = next;
            next = tmp;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += phi[i][j] * phi[i][j];
          }
          return s;
        }

        @Differentiable(wrt = "c")
        public static double indexed(double[] c, double[] init, int n, int steps) {
          double[][] phi = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) phi[i][j] = init[i * n + j];
          double s = 0;
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                next[i][j] = phi[i][j] + 0.1 * (phi[i + 1][j] + phi[i - 1][j] + phi[i][j + 1] + phi[i][j - 1]
                    - 4 * phi[i][j]) + c[k] * phi[i][j];
              }
            }
            double[][] tmp = phi;
            phi = next;
            next = tmp;
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += phi[i][j] * phi[i][j];
          }
          return s;
        }

        // the rows are one array at run time where inPlace: out[j] overwrites the element p was
        // loaded from, and later cells read the new values
        @Differentiable(wrt = {"c", "init"})
        public static double maybeInPlace(double[] c, double[] init, int n, boolean inPlace) {
          double[][] phi = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) phi[i][j] = init[i * n + j];
          for (int k = 0; k < c.length; k++) {
            for (int i = 1; i < n - 1; i++) {
              double[] mid = phi[i], out = inPlace ? phi[i] : next[i];
              for (int j = 1; j < n - 1; j++) {
                double p = mid[j];
                out[j] = Math.sin(p) * c[k] + 0.3 * (mid[j - 1] + mid[j + 1]) * p;
              }
            }
            if (!inPlace) {
              double[][] tmp = phi;
              phi = next;
              next = tmp;
            }
          }
          double s = 0;
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s += phi[i][j] * phi[i][j] * (1 + i);
          return s;
        }

        // a table filled cell by cell: the cell's temporary is recomputed from the row above,
        // which no later write touches (found by a user-style test: it was recorded per cell)
        @Differentiable(wrt = "x")
        static double table(double[] x) {
          int n = x.length;
          double[][] r = new double[n + 1][n + 1];
          for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= n; j++) {
              double a = r[i - 1][j] * 0.5 + x[i - 1] * x[j - 1];
              r[i][j] = a * a;
            }
          }
          return r[n][n] + r[n][1];
        }

        // a temporary in a while loop over a counter the reverse sweep undoes (found by a
        // user-style test: recorded each iteration, where the same for loop recorded nothing)
        @Differentiable(wrt = "x")
        static double counter(double[] x) {
          double s = 0;
          int j = 0;
          while (j < x.length) {
            double u = x[j] * 0.5 + x[(j + 1) % x.length];
            s += u * u;
            j++;
          }
          return s * j / x.length; // (the counter read after the loop: it stays a while loop)
        }

        // the same loop with the counter its own: a for loop
        @Differentiable(wrt = "x")
        static double counted(double[] x) {
          double s = 0;
          int j = 0;
          while (j < x.length) {
            double u = x[j] * 0.5 + x[(j + 1) % x.length];
            s += u * u;
            j++;
          }
          return s;
        }

        // the same with the temporary read from the cell to the right, which a later iteration
        // overwrites: it is still recorded, and the gradient right
        @Differentiable(wrt = "x")
        static double tableAhead(double[] x) {
          int n = x.length;
          double[][] r = new double[n + 1][n + 2];
          for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= n; j++) {
              r[i][j + 1] = x[j - 1];
              double a = r[i][j + 1] * 0.5 + x[i - 1];
              r[i][j] = a * a;
            }
          }
          return r[n][n] + r[n][1];
        }

        // Newton's method for x^3 + p x - q = 0: f and df are recomputed from x, which the
        // reverse of x -= f / df restores first (found by a user-style test: the three were
        // recorded every iteration, 24 bytes where 8 are needed)
        @Differentiable(wrt = {"p", "q"})
        static double newton(double p, double q) {
          double x = 1.0;
          for (int k = 0; k < 40; k++) {
            double f = x * x * x + p * x - q;
            double df = 3 * x * x + p;
            x -= f / df;
          }
          return x;
        }

        // Jacobi sweeps on two swapped arrays with a scalar temporary, and the same inline (found
        // by a user-style test: p and xn[i] were both recorded per element)
        @Differentiable(wrt = {"b", "k"})
        static double jacobi(double[] b, double k, double[] x0, int sweeps) {
          int n = x0.length;
          double[] x = x0.clone();
          double[] xn = new double[n];
          double s = 0;
          for (int it = 0; it < sweeps; it++) {
            for (int i = 1; i < n - 1; i++) {
              double p = x[i];
              xn[i] = b[i] + k * (x[i - 1] + x[i + 1] - 2 * p);
            }
            double[] t = x;
            x = xn;
            xn = t;
            s += x[n / 2] * x[n / 2];
          }
          return s;
        }

        @Differentiable(wrt = {"b", "k"})
        static double jacobiInline(double[] b, double k, double[] x0, int sweeps) {
          int n = x0.length;
          double[] x = x0.clone();
          double[] xn = new double[n];
          double s = 0;
          for (int it = 0; it < sweeps; it++) {
            for (int i = 1; i < n - 1; i++) {
              xn[i] = b[i] + k * (x[i - 1] + x[i + 1] - 2 * x[i]);
            }
            double[] t = x;
            x = xn;
            xn = t;
            s += x[n / 2] * x[n / 2];
          }
          return s;
        }

        // soft-DTW as ported from C: a cell's neighbours in locals, then a max-shifted
        // log-sum-exp; the locals are recomputed with the declarations that read them, in the
        // reverse of the cell's write (found by a user-style test: 3 doubles a cell recorded)
        @Differentiable(wrt = {"x", "y"})
        static double softDtw(double[] x, double[] y, double gamma) {
          int n = x.length, m = y.length;
          double[][] r = new double[n + 1][m + 1];
          for (int i = 0; i <= n; i++) for (int j = 0; j <= m; j++) r[i][j] = 1e10;
          r[0][0] = 0;
          for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
              double a = -r[i - 1][j] / gamma;
              double b = -r[i][j - 1] / gamma;
              double c = -r[i - 1][j - 1] / gamma;
              double mx = Math.max(a, Math.max(b, c));
              double lse = mx + Math.log(Math.exp(a - mx) + Math.exp(b - mx) + Math.exp(c - mx));
              double dd = x[i - 1] - y[j - 1];
              r[i][j] = dd * dd - gamma * lse;
            }
          }
          return r[n][m];
        }

        // Newton per element, the iterate reset for each (found by a user-style test: f and xi
        // recorded each step besides xi's own record): the reverse of xi -= f / (2 * xi)
        // restores xi first, whatever the reset does later
        @Differentiable(wrt = {"a", "x0"})
        static double sqrtEach(double a, double[] x0) {
          double s = 0;
          double xi = 0;
          for (int i = 0; i < x0.length; i++) {
            xi = x0[i];
            for (int it = 0; it < 8; it++) {
              double f = xi * xi - a;
              xi -= f / (2 * xi);
            }
            s += xi;
          }
          return s;
        }

        // t is read by u, which is late itself (it reads x, overwritten after): both are
        // recomputed at u's reader, t first (found by a user-style test: t was recorded)
        @Differentiable(wrt = {"x", "w"})
        static double derived(double x, double[] w) {
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            double t = x * w[i];
            double u = t * x;
            s += u;
            x = Math.cos(x);
          }
          return s;
        }

        // an in-place 1-D DP with the cell's neighbours in locals (found by a user-style test: a
        // and b recorded, two doubles a cell, where the inline form records the old d[j])
        @Differentiable(wrt = {"c", "d0"})
        static double inPlace(double[] c, double[] d0) {
          int m = d0.length;
          double[] d = d0.clone();
          for (int i = 0; i < 5; i++) {
            for (int j = 1; j < m; j++) {
              double a = d[j - 1];
              double b = d[j];
              d[j] = Math.log(Math.exp(a) + Math.exp(b)) * 0.5 + c[j] * a;
            }
          }
          return d[m - 1];
        }

        @Differentiable(wrt = {"c", "d0"})
        static double inPlaceInline(double[] c, double[] d0) {
          int m = d0.length;
          double[] d = d0.clone();
          for (int i = 0; i < 5; i++) {
            for (int j = 1; j < m; j++) {
              d[j] = Math.log(Math.exp(d[j - 1]) + Math.exp(d[j])) * 0.5 + c[j] * d[j - 1];
            }
          }
          return d[m - 1];
        }

        static double softmin(double a, double b, double c, double g) {
          double mx = Math.max(-a / g, Math.max(-b / g, -c / g));
          return -g * (mx + Math.log(Math.exp(-a / g - mx) + Math.exp(-b / g - mx) + Math.exp(-c / g - mx)));
        }

        @Differentiable(wrt = {"x", "y"})
        static double softDtwHelper(double[] x, double[] y, double gamma) {
          int n = x.length, m = y.length;
          double[][] r = new double[n + 1][m + 1];
          for (int i = 0; i <= n; i++) for (int j = 0; j <= m; j++) r[i][j] = 1e10;
          r[0][0] = 0;
          for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
              double dd = x[i - 1] - y[j - 1];
              r[i][j] = dd * dd + softmin(r[i - 1][j], r[i][j - 1], r[i - 1][j - 1], gamma);
            }
          }
          return r[n][m];
        }

        // swapped buffers with two temporaries of the old one and boundary values copied after
        // the cell loop: recomputing p and lap needs those copies recorded too, once a step
        @Differentiable
        static double boundary(double[] u0, double k) {
          int n = u0.length;
          double[] u = u0.clone();
          double[] w = new double[n];
          for (int s = 0; s < 6; s++) {
            for (int j = 1; j < n - 1; j++) {
              double p = u[j];
              double lap = u[j - 1] + u[j + 1] - 2 * p;
              w[j] = p + k * lap - 0.1 * (p * p) * p;
            }
            w[0] = u[0];
            w[n - 1] = u[n - 1];
            double[] tmp = u;
            u = w;
            w = tmp;
          }
          double r = 0;
          for (int j = 0; j < n; j++) r += u[j] * u[j];
          return r;
        }

        // the same in 2-D, the boundary row copied by a loop after the loop nest over the cells
        @Differentiable
        static double boundaryRow(double[] u0, double c) {
          int n = 5;
          double[][] u = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) u[i][j] = u0[i * n + j];
          double[][] w = new double[n][n];
          for (int s = 0; s < 4; s++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                double p = u[i][j];
                double lap = u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1] - 4 * p;
                w[i][j] = p + c * lap * p;
              }
            }
            for (int j = 0; j < n; j++) w[0][j] = u[0][j];
            double[][] t = u;
            u = w;
            w = t;
          }
          double r = 0;
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r += u[i][j] * u[i][j];
          return r;
        }

        @Differentiable
        static double boundaryRowInline(double[] u0, double c) {
          int n = 5;
          double[][] u = new double[n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) u[i][j] = u0[i * n + j];
          double[][] w = new double[n][n];
          for (int s = 0; s < 4; s++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                w[i][j] = u[i][j] + c * (u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1] - 4 * u[i][j]) * u[i][j];
              }
            }
            for (int j = 0; j < n; j++) w[0][j] = u[0][j];
            double[][] t = u;
            u = w;
            w = t;
          }
          double r = 0;
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) r += u[i][j] * u[i][j];
          return r;
        }

        @Differentiable
        static double boundaryInline(double[] u0, double k) {
          int n = u0.length;
          double[] u = u0.clone();
          double[] w = new double[n];
          for (int s = 0; s < 6; s++) {
            for (int j = 1; j < n - 1; j++) {
              w[j] = u[j] + k * (u[j - 1] + u[j + 1] - 2 * u[j]) - 0.1 * (u[j] * u[j]) * u[j];
            }
            w[0] = u[0];
            w[n - 1] = u[n - 1];
            double[] tmp = u;
            u = w;
            w = tmp;
          }
          double r = 0;
          for (int j = 0; j < n; j++) r += u[j] * u[j];
          return r;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Stencil", SOURCE);
    user = c.load("demo.Stencil");
    grad = c.load("demo.StencilGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("rows", r -> new Object[] {vector(r, 4, -0.5, 0.5), vector(r, 25, -1, 1), 5, 4}, 0),
        of("indexed", r -> new Object[] {vector(r, 4, -0.5, 0.5), vector(r, 25, -1, 1), 5, 4}, 0),
        of("maybeInPlace", r -> new Object[] {vector(r, 3, -0.5, 0.5), vector(r, 25, -1, 1), 5, false}, 0, 1),
        of("maybeInPlace", r -> new Object[] {vector(r, 3, -0.5, 0.5), vector(r, 25, -1, 1), 5, true}, 0, 1),
        of("table", r -> new Object[] {vector(r, 4, -0.5, 0.5)}, 0),
        of("counter", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("counted", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("tableAhead", r -> new Object[] {vector(r, 4, -0.5, 0.5)}, 0),
        of("newton", r -> new Object[] {2 + r.nextDouble(), 3 * r.nextDouble() - 1}, 0, 1),
        of("jacobi", r -> new Object[] {vector(r, 9, -1, 1), 0.2 + 0.1 * r.nextDouble(), vector(r, 9, -1, 1), 6}, 0, 1),
        of("sqrtEach", r -> new Object[] {1 + 2 * r.nextDouble(), vector(r, 4, 1, 2)}, 0, 1),
        of("derived", r -> new Object[] {r.nextDouble() * 2 - 1, vector(r, 8, -1, 1)}, 0, 1),
        of("inPlace", r -> new Object[] {vector(r, 6, -1, 1), vector(r, 6, -1, 1)}, 0, 1),
        of("softDtw", r -> new Object[] {vector(r, 6, -1, 1), vector(r, 5, -1, 1), 0.5}, 0, 1),
        of("softDtwHelper", r -> new Object[] {vector(r, 6, -1, 1), vector(r, 5, -1, 1), 0.5}, 0, 1),
        of("boundary", r -> new Object[] {vector(r, 7, -1, 1), 0.05 + 0.2 * r.nextDouble()}, 0, 1),
        of("boundaryInline", r -> new Object[] {vector(r, 7, -1, 1), 0.05 + 0.2 * r.nextDouble()}, 0, 1),
        of("boundaryRow", r -> new Object[] {vector(r, 25, -1, 1), 0.05 + 0.1 * r.nextDouble()}, 0, 1),
        of("boundaryRowInline", r -> new Object[] {vector(r, 25, -1, 1), 0.05 + 0.1 * r.nextDouble()}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * The scalar temporary costs no record: the two stencils record the same bytes (each step's
   * loss reads the field, so the overwrites of the next step are recorded in both, and p is
   * reloaded from the restored element).
   */
  @Test
  void rowsWithAScalarTemporaryRecordWhatTheIndexedStencilRecords() throws Exception {
    int n = 12, steps = 30;
    java.util.function.Supplier<Object[]> args = () -> new Object[] {new double[steps], new double[n * n], n, steps,
        new double[steps]};
    assertEquals(tape("indexed", args), tape("rows", args), "rows vs indexed tape bytes");
  }

  /**
   * n = 10: the table handed to the reverse sweep (8 + 16 + 11 x 8 and 11 rows of 16 + 88) and
   * nothing per cell; a was recorded at each of the 100 cells (800 bytes more).
   */
  @Test
  void aTableCellsTemporaryIsRecomputedFromTheRowAbove() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("table", double[].class, double[].class, RadContext.class)
        .invoke(null, new double[10], new double[10], ctx);
    assertEquals(8 + 16 + 88 + 11 * (16 + 88), ctx.peakTapeBytes());
  }

  /**
   * The while loop's temporary is recomputed: the trip count and the counter's final value (4 + 4
   * bytes) where u was recorded at each of the 100 iterations as well (816 bytes).
   */
  @Test
  void aTemporaryOverAnUndoneCounterIsRecomputed() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("counter", double[].class, double[].class, RadContext.class)
        .invoke(null, new double[100], new double[100], ctx);
    assertEquals(8, ctx.peakTapeBytes());
  }

  /**
   * A while loop over a counter declared just before it, stepped at the end of its body and not
   * read after it, is a counted for loop (transform/CountedWhileLoops): nothing recorded, no trip
   * count, no counter (it recorded 8 bytes).
   */
  @Test
  void aWhileLoopOverItsOwnCounterIsCounted() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("counted", double[].class, double[].class, RadContext.class)
        .invoke(null, new double[100], new double[100], ctx);
    assertEquals(0, ctx.peakTapeBytes());
  }

  /**
   * x is recorded each iteration (its old value is read by the partials of f and df), and f and
   * df are recomputed from it after the reverse of {@code x -= f / df} restores it: 40 x 8 bytes
   * (it was 3 x 40 x 8 + 16).
   */
  @Test
  void newtonsLocalsAreRecomputedFromTheRestoredIterate() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("newton", double.class, double.class, double[].class, double[].class, RadContext.class)
        .invoke(null, 2.0, 3.0, new double[1], new double[1], ctx);
    assertEquals(40 * 8, ctx.peakTapeBytes());
  }

  /** A scalar temporary of a swapped array costs nothing: the two forms record the same bytes. */
  @Test
  void aTemporaryOfSwappedArraysRecordsWhatTheInlineFormRecords() throws Exception {
    java.util.function.Supplier<Object[]> args = () -> new Object[] {new double[30], 0.3, new double[30], 20,
        new double[30], new double[1]};
    assertEquals(tape("jacobiInline", args), tape("jacobi", args), "temporary vs inline tape bytes");
  }

  /**
   * The cell's locals record nothing: the table and the max's two bits a cell, as with the
   * neighbours passed to a helper (it was three doubles a cell more).
   */
  @Test
  void aCellsLocalsRecordWhatTheHelperFormRecords() throws Exception {
    java.util.function.Supplier<Object[]> args = () -> new Object[] {new double[20], new double[20], 0.5,
        new double[20], new double[20]};
    assertEquals(tape("softDtwHelper", args), tape("softDtw", args), "locals vs helper tape bytes");
  }

  /**
   * Per element, xi is recorded at each of the 8 steps and f recomputed from it: 4 x 8 x 8 bytes
   * (it was 520: f recorded too, and the reset's old value).
   */
  @Test
  void aResetIterateStillGivesItsLocalsBack() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("sqrtEach", double.class, double[].class, double[].class, double[].class, RadContext.class)
        .invoke(null, 2.0, new double[] {1, 1.5, 2, 1.2}, new double[1], new double[4], ctx);
    assertEquals(4 * 8 * 8, ctx.peakTapeBytes());
  }

  /** Only x is recorded, once an iteration: 8 x 8 bytes (it was 136: t each iteration too). */
  @Test
  void aLocalReadByALateLocalIsRecomputedBeforeIt() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("derived", double.class, double[].class, double[].class, double[].class, RadContext.class)
        .invoke(null, 0.3, new double[8], new double[1], new double[8], ctx);
    assertEquals(8 * 8, ctx.peakTapeBytes());
  }

  /**
   * The two locals cost the one record of the old d[j] that the inline form takes: recomputing
   * them needs that write recorded, and two records a cell are saved for one.
   */
  @Test
  void twoLocalsThatNeedOneWriteRecordedCostThatWrite() throws Exception {
    java.util.function.Supplier<Object[]> args = () -> new Object[] {new double[30], new double[30], new double[30],
        new double[30]};
    assertEquals(tape("inPlaceInline", args), tape("inPlace", args), "locals vs inline tape bytes");
  }

  /**
   * The temporaries cost what the inline form records: the cell writes and the two boundary
   * copies after the loop, recorded so that p and lap are recomputed (they were recorded at each
   * cell: 80,864 bytes against 42,448 at n = 100, 50 steps).
   */
  @Test
  void temporariesThatNeedWritesAfterTheirLoopRecordWhatTheInlineFormRecords() throws Exception {
    java.util.function.Supplier<Object[]> args = () -> new Object[] {new double[40], 0.2, new double[40],
        new double[1]};
    assertEquals(tape("boundaryInline", args), tape("boundary", args), "temporaries vs inline tape bytes");
  }

  /**
   * In 2-D, the boundary row copied by a loop after the loop nest: that loop runs in one loop of
   * its own where the temporaries run in two, so its writes do not count against them (a tester's
   * 20 x 20, 20 steps: 107,736 bytes against 59,080 inline).
   */
  @Test
  void temporariesThatNeedABoundaryLoopRecordedRecordWhatTheInlineFormRecords() throws Exception {
    java.util.function.Supplier<Object[]> args = () -> new Object[] {new double[25], 0.1, new double[25], new double[1]};
    assertEquals(tape("boundaryRowInline", args), tape("boundaryRow", args), "temporaries vs inline tape bytes");
  }

  /** The peak tape bytes of one exact gradient call of {@code name} with {@code args} and a context. */
  static long tape(String name, java.util.function.Supplier<Object[]> args) throws Exception {
    return tape(grad, name, args);
  }

  /** The same for a gradient method of the generated class {@code grad}. */
  static long tape(Class<?> grad, String name, java.util.function.Supplier<Object[]> args) throws Exception {
    Object[] values = args.get();
    for (java.lang.reflect.Method m : grad.getDeclaredMethods()) {
      Class<?>[] types = m.getParameterTypes();
      if (m.getName().equals(name) && types.length == values.length + 1 && types[values.length] == RadContext.class) {
        RadContext ctx = RadContext.exact();
        Object[] all = java.util.Arrays.copyOf(values, values.length + 1);
        all[values.length] = ctx;
        m.setAccessible(true);
        m.invoke(null, all);
        return ctx.peakTapeBytes();
      }
    }
    throw new AssertionError("no gradient method " + name);
  }
}
