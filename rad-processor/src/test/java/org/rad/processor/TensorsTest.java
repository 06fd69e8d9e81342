package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * {@code double[][][]} in the subset: locals (also {@code var}), parameters (differentiated or not,
 * read or written in place, of instance methods), a {@code static final} field read as a constant,
 * {@code new double[a][b][c]}, element reads and overwrites, {@code .length} at each level, enhanced
 * {@code for} over slices and rows, slice and row references ({@code double[][] slice = phi[t]},
 * {@code double[] row = phi[t][i]}, also in a {@code while} loop left early by {@code return} and
 * chosen by {@code ?:}), slices and rows passed to helpers (two or three slices of one field to a
 * helper that writes one, a field with one of its own slices, helpers taking and returning a
 * {@code double[][][]}, a {@code @CustomAdjoint} of one), slice references swapped or reassigned
 * each step, the buffer swap of two fields, and the in-place stencil over time slices
 * {@code phi[(s + 1) % 2][i][j] = f(phi[s % 2][...])}. Each gradient is checked against central
 * differences (step 1e-6, tolerance 1e-6 relative to max(1, |g|)) at 5 to 8 points, with the
 * arrays the method writes checked against what the original leaves in them and a second call on
 * the same context checked to add the same gradient again ({@link GradientHarness#check}).
 */
class TensorsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Tensors {
        /** The stencil over two time slices of one field, indexed by the step's parity. */
        @Differentiable(wrt = "theta")
        static double stencil(double[] theta, int n, int steps) {
          double[][][] phi = new double[2][n + 1][n + 1];
          for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
              phi[0][i][j] = Math.sin(0.3 * i + 0.2 * j + theta[2]);
            }
          }
          double total = 0;
          for (int s = 0; s < steps; s++) {
            for (int i = 1; i < phi[0].length - 1; i++) {
              for (int j = 1; j < phi[0][i].length - 1; j++) {
                double p = phi[s % 2][i][j];
                phi[(s + 1) % 2][i][j] = p + theta[0] * (phi[s % 2][i + 1][j] + phi[s % 2][i - 1][j]
                    + phi[s % 2][i][j + 1] + phi[s % 2][i][j - 1] - 4 * p) + theta[1] * Math.sin(p);
              }
            }
            for (int i = 0; i < phi[(s + 1) % 2].length; i++) {
              for (int j = 0; j < phi[(s + 1) % 2][i].length; j++) {
                double e = phi[(s + 1) % 2][i][j];
                total += e * e * (s + 1);
              }
            }
          }
          return total + phi.length;
        }

        /** stencil with the two slices as the halves of one double[][] (what rad supported before). */
        @Differentiable(wrt = "theta")
        static double stencilHalves(double[] theta, int n, int steps) {
          int m = n + 1;
          double[][] phi = new double[2 * m][m];
          for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
              phi[i][j] = Math.sin(0.3 * i + 0.2 * j + theta[2]);
            }
          }
          double total = 0;
          for (int s = 0; s < steps; s++) {
            int from = (s % 2) * m;
            int to = ((s + 1) % 2) * m;
            for (int i = 1; i < m - 1; i++) {
              for (int j = 1; j < m - 1; j++) {
                double p = phi[from + i][j];
                phi[to + i][j] = p + theta[0] * (phi[from + i + 1][j] + phi[from + i - 1][j]
                    + phi[from + i][j + 1] + phi[from + i][j - 1] - 4 * p) + theta[1] * Math.sin(p);
              }
            }
            for (int i = 0; i < m; i++) {
              for (int j = 0; j < m; j++) {
                double e = phi[to + i][j];
                total += e * e * (s + 1);
              }
            }
          }
          return total + 2;
        }

        /** A double[][][] parameter read at every level, differentiated with a vector. */
        @Differentiable
        static double weighted(double[][][] x, double[] w) {
          double s = 0;
          for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < x[t].length; i++) {
              for (int j = 0; j < x[t][i].length; j++) {
                s += w[j] * Math.tanh(x[t][i][j] * (t + 1));
              }
            }
          }
          return s * s;
        }

        /** A double[][][] parameter that carries no derivative (data). */
        @Differentiable(wrt = "w")
        static double data(double[] w, double[][][] xs) {
          double loss = 0;
          for (int b = 0; b < xs.length; b++) {
            for (int i = 0; i < xs[b].length; i++) {
              double y = 0;
              for (int j = 0; j < w.length; j++) {
                y += w[j] * xs[b][i][j];
              }
              loss += Math.log1p(y * y);
            }
          }
          return loss;
        }

        /** Overwrites its double[][][] parameter in place (non-linearly: the old values are recorded). */
        @Differentiable
        static double inPlace(double[][][] u, double a) {
          for (int t = 1; t < u.length; t++) {
            for (int i = 0; i < u[t].length; i++) {
              for (int j = 0; j < u[t][i].length; j++) {
                u[t][i][j] = Math.sin(u[t][i][j] * a) + u[t - 1][i][j] * u[t][i][j];
              }
            }
          }
          double s = 0;
          for (int i = 0; i < u[0].length; i++) {
            s += u[u.length - 1][i][0] * u[u.length - 1][i][u[0][i].length - 1];
          }
          return s;
        }

        /** Slice and row references, read and written through. */
        @Differentiable(wrt = "x")
        static double references(double[][][] x, int t) {
          double[][] slice = x[t];
          double[][][] y = new double[x.length][x[0].length][x[0][0].length];
          double s = 0;
          for (int i = 0; i < slice.length; i++) {
            double[] row = slice[i];
            double[] out = y[t][i];
            for (int j = 0; j < row.length; j++) {
              out[j] = row[j] * row[j] + x[0][i][j];
            }
          }
          for (int i = 0; i < y[t].length; i++) {
            double[] r = y[t][i];
            for (int j = 0; j < r.length; j++) {
              s += Math.cos(r[j]) * x[x.length - 1][i][j];
            }
          }
          return s;
        }

        static double sumSquares(double[][][] a) {
          double s = 0;
          for (double[][] slice : a) {
            for (double[] row : slice) {
              for (double v : row) {
                s += v * v;
              }
            }
          }
          return s;
        }

        static double rowDot(double[] row, double[] w) {
          double s = 0;
          for (int j = 0; j < row.length; j++) {
            s += row[j] * w[j];
          }
          return s;
        }

        static double sliceTrace(double[][] m) {
          double s = 0;
          for (int i = 0; i < m.length && i < m[i].length; i++) {
            s += Math.exp(0.5 * m[i][i]);
          }
          return s;
        }

        /** A step from one slice into another, called with two slices of one field. */
        static void smooth(double[][] from, double[][] to, double k) {
          for (int i = 1; i < from.length - 1; i++) {
            for (int j = 0; j < from[i].length; j++) {
              to[i][j] = from[i][j] + k * (from[i - 1][j] + from[i + 1][j] - 2 * from[i][j]) + k * from[i][j] * from[i][j];
            }
          }
        }

        static double[][][] outer(double[] a, double[] b, int depth) {
          double[][][] r = new double[depth][a.length][b.length];
          for (int t = 0; t < depth; t++) {
            for (int i = 0; i < a.length; i++) {
              for (int j = 0; j < b.length; j++) {
                r[t][i][j] = a[i] * b[j] * (t + 1);
              }
            }
          }
          return r;
        }

        @Differentiable
        static double helper3(double[][][] a) {
          return sumSquares(a);
        }

        /** Helpers taking a field, a slice and a row, and one returning a new field. */
        @Differentiable(wrt = {"x", "w"})
        static double helpers(double[][][] x, double[] w) {
          double s = helper3(x) + sliceTrace(x[1]);
          for (int i = 0; i < x[0].length; i++) {
            s += rowDot(x[0][i], w) * rowDot(x[x.length - 1][i], w);
          }
          double[][][] o = outer(w, x[0][0], 2);
          return s + sumSquares(o) * o[1][0][0];
        }

        /** The time slices stepped by a helper: smooth(phi[s % 2], phi[(s + 1) % 2], k). */
        @Differentiable(wrt = {"init", "k"})
        static double slicesToHelper(double[][] init, double k, int steps) {
          double[][][] phi = new double[2][init.length][init[0].length];
          for (int i = 0; i < init.length; i++) {
            for (int j = 0; j < init[i].length; j++) {
              phi[0][i][j] = init[i][j];
              phi[1][i][j] = init[i][j];
            }
          }
          for (int s = 0; s < steps; s++) {
            smooth(phi[s % 2], phi[(s + 1) % 2], k);
          }
          return sumSquares(phi) + sliceTrace(phi[steps % 2]);
        }

        /** Two fields swapped by reference each step. */
        @Differentiable(wrt = "c")
        static double swapped(double[] c, int n, int steps) {
          double[][][] u = new double[2][n][n];
          double[][][] v = new double[2][n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              u[0][i][j] = c[0] * (i + 1) + c[1] * j;
              u[1][i][j] = c[1] * i - c[0] * j;
            }
          }
          for (int s = 0; s < steps; s++) {
            for (int t = 0; t < 2; t++) {
              for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                  v[t][i][j] = Math.tanh(u[1 - t][i][j] + c[2] * u[t][(i + 1) % n][j]);
                }
              }
            }
            double[][][] tmp = u;
            u = v;
            v = tmp;
          }
          return sumSquares(u);
        }

        static final double[][][] K = {{{0.5, -0.25}, {1.0, 0.75}}, {{0.1, 0.2}, {-0.3, 0.4}}};
        private final double[][][] weights;
        Tensors(double[][][] w) { weights = w; }

        /** writes a slice of the field it also receives whole */
        static void mix(double[][][] f, double[][] target, double a) {
          for (int i = 0; i < target.length; i++) {
            for (int j = 0; j < target[i].length; j++) {
              target[i][j] = f[0][i][j] * a + f[f.length - 1][i][j] * target[i][j];
            }
          }
        }

        @Differentiable(wrt = {"x", "a"})
        static double fieldAndSlice(double[][][] x, double a) {
          double[][][] f = new double[x.length][x[0].length][x[0][0].length];
          for (int t = 0; t < x.length; t++)
            for (int i = 0; i < x[t].length; i++)
              for (int j = 0; j < x[t][i].length; j++)
                f[t][i][j] = x[t][i][j];
          mix(f, f[1], a);
          mix(f, f[f.length - 1], a * a);
          double s = 0;
          for (double[][] sl : f) for (double[] row : sl) for (double v : row) s += v * v * v;
          return s;
        }

        static double[][][] scaledCopy(double[][][] x, double c) {
          double[][][] r = new double[x.length][x[0].length][x[0][0].length];
          for (int t = 0; t < x.length; t++)
            for (int i = 0; i < x[t].length; i++)
              for (int j = 0; j < x[t][i].length; j++)
                r[t][i][j] = Math.sin(x[t][i][j]) * c;
          return r;
        }

        @Differentiable
        static double returnedThenOverwritten(double[][][] x, double c) {
          double[][][] r = scaledCopy(x, c);
          double s = 0;
          for (int t = 0; t < r.length; t++)
            for (int i = 0; i < r[t].length; i++)
              for (int j = 0; j < r[t][i].length; j++) {
                s += r[t][i][j] * r[t][i][j];
                r[t][i][j] = r[t][i][j] * x[t][i][j] + K[t % 2][i % 2][j % 2];
                s += Math.exp(r[t][i][j]);
              }
          return s;
        }

        @Differentiable(wrt = "x")
        static double whileAndEarly(double[][][] x, double limit) {
          double s = 0;
          int t = 0;
          while (t < x.length) {
            double[][] sl = x[t];
            double[] row = sl[0];
            t++;
            for (int j = 0; j < row.length; j++) {
              s += row[j] * sl[sl.length - 1][j];
              if (s > limit) {
                return s * s;
              }
            }
          }
          return s;
        }

        @Differentiable(wrt = "x")
        static double conditional(double[][][] x, boolean first) {
          double[][] s = first ? x[0] : x[x.length - 1];
          var y = new double[2][s.length][s[0].length];
          double acc = 0;
          for (int i = 0; i < s.length; i++) {
            for (int j = 0; j < s[i].length; j++) {
              y[1][i][j] = s[i][j] * s[i][j];
              y[0][i][j] = y[1][i][j] + Math.max(s[i][j], 0.1);
              acc += y[0][i][j] * K[1][i % 2][j % 2];
            }
          }
          return acc;
        }

        @Differentiable(wrt = "x")
        double instance(double[][][] x) {
          double s = 0;
          for (int t = 0; t < x.length; t++)
            for (int i = 0; i < x[t].length; i++)
              for (int j = 0; j < x[t][i].length; j++)
                s += weights[t][i][j] * Math.tanh(x[t][i][j]);
          return s;
        }

        /** the reactor with a helper for the stencil, the slices indexed by parity */
        static void step(double[][] from, double[][] to, double c) {
          for (int i = 1; i < from.length - 1; i++)
            for (int j = 1; j < from[i].length - 1; j++)
              to[i][j] = from[i][j] + 0.2 * (from[i + 1][j] + from[i - 1][j] + from[i][j + 1] + from[i][j - 1] - 4 * from[i][j]) + c * from[i][j] * from[i][j];
        }

        @Differentiable(wrt = "c")
        static double stepped(double c, int n, int steps) {
          double[][][] phi = new double[3][n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) phi[0][i][j] = Math.sin(i + 2 * j);
          double total = 0;
          for (int s = 0; s < steps; s++) {
            step(phi[s % 3], phi[(s + 1) % 3], c);
            total += phi[(s + 1) % 3][n / 2][n / 2];
          }
          return total;
        }

        @org.rad.annotations.CustomAdjoint("energyAdjoint")
        static double energy(double[][][] x) {
          double s = 0;
          for (double[][] a : x) {
            for (double[] r : a) {
              for (double v : r) {
                s += v * v;
              }
            }
          }
          return s;
        }

        static void energyAdjoint(double[][][] x, double[][][] xBar, double resultBar) {
          for (int t = 0; t < x.length; t++) {
            for (int i = 0; i < x[t].length; i++) {
              for (int j = 0; j < x[t][i].length; j++) {
                xBar[t][i][j] += 2 * x[t][i][j] * resultBar;
              }
            }
          }
        }

        /** A user-declared adjoint of a method with a double[][][] parameter. */
        @Differentiable
        static double custom(double[][][] x) {
          return Math.sin(energy(x)) * x[0][0][0];
        }

        /** slice references swapped */
        @Differentiable(wrt = "c")
        static double swapSlices(double c, int n, int steps) {
          double[][][] phi = new double[2][n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) phi[0][i][j] = Math.sin(i + 2 * j);
          double[][] a = phi[0];
          double[][] b = phi[1];
          double total = 0;
          for (int s = 0; s < steps; s++) {
            step(a, b, c);
            double[][] tmp = a;
            a = b;
            b = tmp;
            total += a[n / 2][n / 2] * a[1][1];
          }
          return total;
        }
        /** a slice reference reassigned in the loop */
        @Differentiable(wrt = "c")
        static double reassigned(double c, int n, int steps) {
          double[][][] phi = new double[2][n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) phi[0][i][j] = Math.cos(i - j) * c;
          double[][] cur = phi[0];
          double total = 0;
          for (int s = 0; s < steps; s++) {
            double[][] nxt = phi[(s + 1) % 2];
            for (int i = 1; i < n - 1; i++)
              for (int j = 0; j < n; j++)
                nxt[i][j] = Math.sin(cur[i][j] * c) + cur[i - 1][j] * cur[i + 1][j];
            cur = nxt;
            total += cur[1][0] * cur[1][0];
          }
          return total;
        }
        /** inline stencil over swapped slice references */
        @Differentiable(wrt = "c")
        static double inlineSwap(double c, int n, int steps) {
          double[][][] phi = new double[2][n][n];
          for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) phi[0][i][j] = Math.sin(i + 2 * j);
          double[][] u = phi[0];
          double[][] w = phi[1];
          for (int s = 0; s < steps; s++) {
            for (int i = 1; i < n - 1; i++)
              for (int j = 1; j < n - 1; j++)
                w[i][j] = u[i][j] + c * u[i][j] * u[i][j] + 0.1 * (u[i + 1][j] - u[i - 1][j]);
            double[][] t = u; u = w; w = t;
          }
          double total = 0;
          for (double[][] sl : phi) for (double[] r : sl) for (double v : r) total += v * v;
          return total;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled compiled = Compiled.compile("demo.Tensors", SOURCE);
    user = compiled.load("demo.Tensors");
    grad = compiled.load("demo.TensorsGrad");
  }

  static double[][][] tensor(SplittableRandom r, int slices, int rows, int cols, double lo, double hi) {
    double[][][] t = new double[slices][][];
    for (int s = 0; s < slices; s++) {
      t[s] = matrix(r, rows, cols, lo, hi);
    }
    return t;
  }

  static Object newInstance(double[][][] weights) {
    try {
      java.lang.reflect.Constructor<?> c = user.getDeclaredConstructor(double[][][].class);
      c.setAccessible(true);
      return c.newInstance((Object) weights);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("stencil", r -> new Object[] {new double[] {r.nextDouble(0.05, 0.2), r.nextDouble(-0.3, 0.3), r.nextDouble(-1, 1)}, 5, 6}, 0),
        of("stencilHalves", r -> new Object[] {new double[] {r.nextDouble(0.05, 0.2), r.nextDouble(-0.3, 0.3), r.nextDouble(-1, 1)}, 5, 6}, 0),
        of("weighted", r -> new Object[] {tensor(r, 2, 3, 4, -1, 1), vector(r, 4, -1, 1)}, 0, 1),
        of("data", r -> new Object[] {vector(r, 3, -1, 1), tensor(r, 3, 2, 3, -1, 1)}, 0),
        of("inPlace", r -> new Object[] {tensor(r, 3, 2, 3, -1, 1), r.nextDouble(0.5, 1.5)}, 0, 1),
        of("references", r -> new Object[] {tensor(r, 3, 3, 2, -1, 1), r.nextInt(0, 3)}, 0),
        of("helper3", r -> new Object[] {tensor(r, 2, 2, 3, -1, 1)}, 0),
        of("helpers", r -> new Object[] {tensor(r, 3, 2, 2, -1, 1), vector(r, 2, -1, 1)}, 0, 1),
        of("slicesToHelper", r -> new Object[] {matrix(r, 4, 3, -1, 1), r.nextDouble(0.05, 0.2), 5}, 0, 1),
        of("swapped", r -> new Object[] {vector(r, 3, -0.5, 0.5), 3, 3}, 0),
        of("fieldAndSlice", r -> new Object[] {tensor(r, 3, 2, 2, -1, 1), r.nextDouble(0.5, 1)}, 0, 1),
        of("returnedThenOverwritten", r -> new Object[] {tensor(r, 3, 2, 2, -1, 1), r.nextDouble(0.5, 1)}, 0, 1),
        of("whileAndEarly", r -> new Object[] {tensor(r, 3, 2, 2, -1, 1), r.nextDouble(-0.5, 0.5)}, 0).points(8),
        of("conditional", r -> new Object[] {tensor(r, 3, 2, 2, -1, 1), r.nextBoolean()}, 0).points(6),
        of("instance", r -> new Object[] {newInstance(tensor(r, 3, 2, 2, -1, 1)), tensor(r, 3, 2, 2, -1, 1)}, 1),
        of("stepped", r -> new Object[] {r.nextDouble(0.05, 0.2), 6, 7}, 0),
        of("custom", r -> new Object[] {tensor(r, 2, 2, 2, -0.7, 0.7)}, 0),
        of("swapSlices", r -> new Object[] {r.nextDouble(0.05, 0.2), 6, 7}, 0),
        of("reassigned", r -> new Object[] {r.nextDouble(0.05, 0.2), 5, 6}, 0),
        of("inlineSwap", r -> new Object[] {r.nextDouble(0.05, 0.2), 6, 5}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void theAdjointOfATensorParameterIsATensor() throws Exception {
    // weighted(x, w) = s^2 with s = sum w_j tanh(x_tij (t + 1)): d/dx_tij = 2 s w_j (t + 1) (1 - tanh^2)
    double[][][] x = {{{0.5, -0.25}}, {{0.1, 0.3}}};
    double[] w = {1.5, -2};
    double[][][] xBar = {{{0, 0}}, {{0, 0}}};
    double[] wBar = new double[2];
    double value = (Double) grad.getDeclaredMethod("weighted", double[][][].class, double[].class, double[][][].class,
        double[].class).invoke(null, x, w, xBar, wBar);
    double s = 0;
    for (int t = 0; t < 2; t++) {
      for (int j = 0; j < 2; j++) {
        s += w[j] * Math.tanh(x[t][0][j] * (t + 1));
      }
    }
    assertEquals(s * s, value, 1e-15);
    for (int j = 0; j < 2; j++) {
      double dw = 0;
      for (int t = 0; t < 2; t++) {
        double th = Math.tanh(x[t][0][j] * (t + 1));
        assertEquals(2 * s * w[j] * (t + 1) * (1 - th * th), xBar[t][0][j], 1e-14);
        dw += 2 * s * th;
      }
      assertEquals(dw, wBar[j], 1e-14);
    }
  }

  @Test
  void theStencilOverSlicesRecordsWhatTheHalvesOfAMatrixRecord() {
    // the same computation with the slices as halves of one double[][]: the same gradient, and the
    // same records (the tapes differ only by the 48 bytes of the field's extra level of headers,
    // which the tape keeps alive: 16 for the array of two slices, 2 x 16 for the slices' headers
    // less the 2 x 8 of their references in the matrix)
    double[] theta = {0.1, 0.2, 0.3};
    int n = 12;
    int steps = 40;
    RadContext ctx3 = RadContext.exact();
    RadContext ctx2 = RadContext.exact();
    GradientHarness.Result slices = new GradientHarness(user, grad, "stencil", 0).gradient(new Object[] {theta, n, steps}, ctx3);
    GradientHarness.Result halves =
        new GradientHarness(user, grad, "stencilHalves", 0).gradient(new Object[] {theta, n, steps}, ctx2);
    assertEquals(halves.value(), slices.value(), 1e-12 * Math.abs(halves.value()));
    for (int k = 0; k < theta.length; k++) {
      assertEquals(halves.gradient()[k], slices.gradient()[k], 1e-12 * Math.abs(halves.gradient()[k]));
    }
    long perCells = 8L * (n - 1) * (n - 1) * steps;
    assertTrue(ctx3.peakTapeBytes() >= perCells, "tape " + ctx3.peakTapeBytes() + " bytes, below one double per interior cell per step");
    assertEquals(ctx2.peakTapeBytes() + 48, ctx3.peakTapeBytes());
  }

  @Test
  void writtenTensorParametersHoldTheirFinalValues() throws Exception {
    double[][][] u = tensor(new SplittableRandom(3), 3, 2, 2, -1, 1);
    double[][][] expected = (double[][][]) GradientHarness.deepCopy(u);
    java.lang.reflect.Method primal = user.getDeclaredMethod("inPlace", double[][][].class, double.class);
    primal.setAccessible(true);
    primal.invoke(null, expected, 0.7);
    double[][][] uBar = new double[3][2][2];
    double[] aBar = new double[1];
    grad.getDeclaredMethod("inPlace", double[][][].class, double.class, double[][][].class, double[].class)
        .invoke(null, u, 0.7, uBar, aBar);
    for (int t = 0; t < 3; t++) {
      for (int i = 0; i < 2; i++) {
        assertArrayEquals(expected[t][i], u[t][i], 0);
      }
    }
  }
}
