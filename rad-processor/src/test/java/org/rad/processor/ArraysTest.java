package org.rad.processor;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Arrays: allocation of double[] and double[][], .length, .clone(), array initializers, element
 * overwrites inside loops, writes into array parameters, the buffer swap of time-stepping codes,
 * row references, enhanced for over double[] and double[][], and int[] index data.
 */
class ArraysTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class ArrayCode {
        @Differentiable(wrt = "a")
        static double allocate(double[] a, int n) {
          double[] b = new double[n];
          double[][] m = new double[n][a.length];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < a.length; j++) {
              m[i][j] = a[j] * (i + 1) + m[i][j];
              b[i] += m[i][j] * a[i % a.length];
            }
          }
          double s = 0;
          for (int i = 0; i < b.length; i++) {
            s += b[i] * b[i];
          }
          return s + m.length + m[0].length;
        }

        @Differentiable
        static double cloneAndOverwrite(double[] a) {
          double[] c = a.clone();
          for (int i = 1; i < c.length; i++) {
            c[i] = c[i] * c[i - 1] + a[i];
          }
          for (int i = 0; i < c.length; i++) {
            c[i] = Math.sin(c[i]);
          }
          double[] d = c.clone();
          d[0] = d[0] * d[1];
          c[0] = 5;
          return c[c.length - 1] + c[0] + d[0] + a[0];
        }

        @Differentiable
        static double literals(double x, double y) {
          double[] v = {x, y, x * y};
          int[] order = {2, 0, 1};
          double[] w = new double[] {1, x};
          double s = 0;
          for (int k = 0; k < v.length; k++) {
            s += v[order[k]] * (k + 1) + w[k % 2];
          }
          v[1] = v[2] * v[0];
          return s * v[1];
        }

        @Differentiable(wrt = "u0")
        static double heat(double[] u0, int steps) {
          double[] u = u0.clone();
          double[] v = new double[u.length];
          for (int t = 0; t < steps; t++) {
            for (int i = 1; i < u.length - 1; i++) {
              v[i] = u[i] + 0.1 * (u[i - 1] - 2 * u[i] + u[i + 1]) + 0.05 * u[i] * u[i];
            }
            v[0] = u[0];
            v[u.length - 1] = u[u.length - 1];
            double[] tmp = u;
            u = v;
            v = tmp;
          }
          double s = 0;
          for (int i = 0; i < u.length; i++) {
            s += u[i] * u[i];
          }
          return s;
        }

        @Differentiable
        static double heat2d(double[][] field, double k) {
          int n = field.length;
          double[][] phi = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              phi[i][j] = field[i][j];
            }
          }
          for (int step = 0; step < 3; step++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                double lap = phi[i + 1][j] + phi[i - 1][j] + phi[i][j + 1] + phi[i][j - 1] - 4 * phi[i][j];
                next[i][j] = phi[i][j] + k * lap + 0.1 * phi[i][j] * phi[i][j];
              }
            }
            double[][] swap = phi;
            phi = next;
            next = swap;
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              s += phi[i][j] * phi[i][j];
            }
          }
          return s;
        }

        @Differentiable
        static double rows(double[][] m, double[] w) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            double[] row = m[i];
            double dot = 0;
            for (int j = 0; j < row.length; j++) {
              dot += row[j] * w[j];
            }
            s += Math.tanh(dot) * row[0];
          }
          return s * s;
        }

        @Differentiable
        static double forEach(double[] a, double[][] m) {
          double s = 0;
          for (double v : a) {
            s += v * v;
          }
          for (double[] row : m) {
            for (double v : row) {
              s = s * 0.5 + Math.sin(v) * s + v;
            }
          }
          int count = 0;
          for (int k : new int[] {1, 2, 3}) {
            count += k;
          }
          return s * count;
        }

        @Differentiable(wrt = "x")
        static double gather(double[] x, int[] index) {
          double s = 0;
          for (int k = 0; k < index.length; k++) {
            s += x[index[k]] * x[index[(k + 1) % index.length]];
          }
          for (int i : index) {
            s += x[i] * i;
          }
          return s;
        }

        @Differentiable(wrt = "m")
        static double inPlace(double[][] m, double[] v) {
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
              m[i][j] = m[i][j] * m[i][j] + v[j];
            }
          }
          for (int j = 0; j < v.length; j++) {
            v[j] = v[j] * 2;
          }
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
              s += Math.sin(m[i][j]) * v[j];
            }
          }
          return s;
        }

        static double[] identity(double[] v) {
          return v;
        }

        static double[] reversed(double[] v) {
          double[] r = new double[v.length];
          for (int i = 0; i < v.length; i++) {
            r[v.length - 1 - i] = v[i];
          }
          v = r;
          v[0] = v[0] * 2;
          return v;
        }

        static int at(int[] order, int i) {
          return order[i];
        }

        @Differentiable
        static double indexData(double[] a, double x) {
          int n = a.length;
          int[] order = new int[n];
          for (int i = 0; i < n; i++) {
            order[i] = (i * 3) % n;
          }
          double[] b = identity(a.clone());
          b[at(order, 1)] += x * b[0];
          double[] c = reversed(b);
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += c[order[i]] * b[i] + Math.abs(order[i] - i) * x;
            order[i] = Math.max(0, order[i] - 1);
          }
          return s + b[order[n - 1]] * a[at(order, 0)];
        }

        @Differentiable(wrt = "x")
        static double counts(double x, int[] counts) {
          double s = 0;
          for (int i = 0; i < counts.length; i++) {
            s += x * counts[i];
            counts[i] += i;
            s += x * x * counts[i];
          }
          return s;
        }

        @Differentiable(wrt = "x")
        static double sharedRows(double[] x, int mode) {
          int n = x.length;
          double[][] a = new double[2][n];
          double[][] b = new double[2][n];
          for (int j = 0; j < n; j++) {
            a[0][j] = x[j];
            a[1][j] = x[j] * x[j];
            b[0][j] = 0.5 * x[j];
            b[1][j] = 1;
          }
          if (mode == 1) {
            b = a; // the overwrites below then read the row they write
          }
          for (int step = 0; step < 3; step++) {
            for (int i = 0; i < 2; i++) {
              for (int j = 1; j < n - 1; j++) {
                b[i][j] = a[i][j] * a[i][j - 1] + 0.3 * a[i][j + 1] + x[j];
              }
            }
            double[][] t = a;
            a = b;
            b = t;
          }
          double s = 0;
          for (int i = 0; i < 2; i++) {
            for (int j = 0; j < n; j++) {
              s += a[i][j] * a[i][j] + b[i][j];
            }
          }
          return s;
        }

        @Differentiable(wrt = "x")
        static double invariantRead(double[] x, double[] a, int k, int m) {
          double s = x[0] * x[1];
          for (int j = 0; j < m; j++) {
            s += x[j] * (a[k] + a[k + 1]) * x[j];
          }
          return s;
        }

        @Differentiable(wrt = "x")
        static double incrementsAcrossAliases(double[] x, int mode) {
          int n = x.length;
          double[] a = new double[n];
          double[] b = new double[n];
          for (int j = 0; j < n; j++) {
            a[j] = x[j];
            b[j] = 0.5 * x[j] * x[j];
          }
          if (mode == 1) {
            b = a; // then bBar is aBar: the increments of aBar[j] merge across those of bBar
          }
          double s = 0;
          for (int j = 1; j < n - 1; j++) {
            double t = a[j] * a[j] + b[j - 1] * a[j] + 3 * a[j + 1] * b[j];
            s += t * t;
            b[j] = t * 0.25;
          }
          return s + b[n - 2];
        }

        /** A fresh array per row, written before it is read: nothing of it goes on the tape. */
        @Differentiable(wrt = "w")
        static double freshPerRow(double[][] w, double[][] in, int[] labels) {
          double total = 0;
          for (int n = 0; n < in.length; n++) {
            double[] x = in[n];
            double[] logits = new double[w.length];
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < w.length; i++) {
              double s = 0;
              for (int j = 0; j < x.length; j++) {
                s += w[i][j] * x[j];
              }
              logits[i] = s;
              max = Math.max(max, s);
            }
            double sum = 0;
            for (int i = 0; i < logits.length; i++) {
              sum += Math.exp(logits[i] - max);
            }
            total += Math.log(sum) + max - logits[labels[n]];
          }
          return total;
        }

        @Differentiable
        static double prefixSums(double[] a) {
          double[] p = new double[a.length + 1];
          for (int i = 0; i < a.length; i++) {
            p[i + 1] = p[i] + a[i];
          }
          for (int i = a.length; i > 0; i--) {
            p[i] = p[i] * p[i - 1] + 1;
          }
          return p[a.length] + p[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.ArrayCode", SOURCE);
    user = compiled.load("demo.ArrayCode");
    grad = compiled.load("demo.ArrayCodeGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("allocate", r -> new Object[] {vector(r, 4, -1, 1), r.nextInt(1, 5)}, 0),
        of("freshPerRow", r -> new Object[] {matrix(r, 3, 4, -1, 1), matrix(r, 2, 4, -1, 1), new int[] {2, 0}}, 0),
        of("cloneAndOverwrite", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("literals", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("heat", r -> new Object[] {vector(r, 6, -1, 1), r.nextInt(0, 5)}, 0),
        of("heat2d", r -> new Object[] {matrix(r, 5, 5, -1, 1), r.nextDouble(0.05, 0.2)}, 0, 1),
        of("rows", r -> new Object[] {matrix(r, 3, 4, -1, 1), vector(r, 4, -1, 1)}, 0, 1),
        of("forEach", r -> new Object[] {vector(r, 3, -1, 1), matrix(r, 2, 3, -1, 1)}, 0, 1),
        of("gather", r -> new Object[] {vector(r, 5, -1, 1), new int[] {3, 0, 4, 4, 1}}, 0),
        of("inPlace", r -> new Object[] {matrix(r, 3, 2, -1, 1), vector(r, 2, -1, 1)}, 0),
        of("indexData", r -> new Object[] {vector(r, 5, -1, 1), r.nextDouble(-1, 1)}, 0, 1),
        of("counts", r -> new Object[] {r.nextDouble(-1, 1), new int[] {3, -1, 4}}, 0),
        of("prefixSums", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        // the records of a row are restored in bulk, unless the row is one the reverse reads
        of("sharedRows", r -> new Object[] {vector(r, 5, -1, 1), 0}, 0),
        of("sharedRows", r -> new Object[] {vector(r, 5, -1, 1), 1}, 0),
        // the reverse sweep reads a[k] and a[k + 1] once, before the loop, and only if it runs
        of("invariantRead", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1), 1, 3}, 0),
        of("invariantRead", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1), 7, 0}, 0),
        // increments of one adjoint element merge (MergedIncrements), also when arrays alias
        of("incrementsAcrossAliases", r -> new Object[] {vector(r, 5, -1, 1), 0}, 0),
        of("incrementsAcrossAliases", r -> new Object[] {vector(r, 5, -1, 1), 1}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void gatherInClosedForm() {
    // s = sum_k x[p_k] x[p_{k+1}] + sum_k x[p_k] p_k
    GradientHarness h = new GradientHarness(user, grad, "gather", 0);
    double[] x = {0.5, -1, 2, 0.25, 3};
    int[] index = {3, 0, 4, 4, 1};
    double[] expected = new double[x.length];
    for (int k = 0; k < index.length; k++) {
      int next = index[(k + 1) % index.length];
      expected[index[k]] += x[next];
      expected[next] += x[index[k]];
      expected[index[k]] += index[k];
    }
    h.checkClosedForm(new Object[] {x, index}, expected, 1e-14);
  }

  /**
   * The elements of an array allocated in the loop are written before anything reads them, so
   * their old values (zeros) are not recorded; the reference to each row's array is.
   */
  @Test
  void freshArraysRecordNoElements() {
    String generated = compiled.generatedSource("demo.ArrayCodeGrad");
    String forward = generated.substring(generated.indexOf("static double freshPerRowForward"));
    forward = forward.substring(0, forward.indexOf("\n  }\n"));
    org.junit.jupiter.api.Assertions.assertFalse(forward.contains("ctx.pushDouble(logits["), forward);
    // the array itself is handed over (on the fresh-reference tape: only logits reaches it)
    org.junit.jupiter.api.Assertions.assertTrue(forward.contains("ctx.pushFreshRef(logits)"), forward);
  }
}
