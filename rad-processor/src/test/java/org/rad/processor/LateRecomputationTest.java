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
        of("tableAhead", r -> new Object[] {vector(r, 4, -0.5, 0.5)}, 0));
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
    long[] tape = new long[2];
    String[] names = {"rows", "indexed"};
    for (int v = 0; v < 2; v++) {
      RadContext ctx = RadContext.exact();
      grad.getDeclaredMethod(names[v], double[].class, double[].class, int.class, int.class, double[].class,
          RadContext.class).invoke(null, new double[steps], new double[n * n], n, steps, new double[steps], ctx);
      tape[v] = ctx.peakTapeBytes();
    }
    assertEquals(tape[1], tape[0], "rows vs indexed tape bytes");
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
}
