package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Issue 14, bug report 5: the time-stepping idiom {@code step(u, w); tmp = u; u = w; w = tmp;},
 * with a helper that writes {@code w}, was rejected ("passing u and w, which may be the same array
 * ... pass a copy (w.clone())"): the swap puts u and w in one alias class, though they are distinct
 * at every call, and the suggested copy would change what the program computes. Calls whose array
 * arguments may be one array are now versioned at the call ({@code if (u != w)} the plain helper,
 * else its variant for one array). Variants: rotating buffers (two and three), swapped matrices,
 * row references into swapped matrices passed to a helper, rows of one matrix that are sometimes the
 * same row, arrays that are one array or not depending on the data (with a helper whose reverse
 * sweep would be wrong for one array, were it differentiated assuming distinct arrays), a helper
 * returning the array it writes, two groups of buffers, and a helper that passes its two parameters
 * on to another.
 */
class AliasedBuffersTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Buffers {
        static void step(double[] in, double[] out, double c) {
          for (int i = 1; i + 1 < in.length; i++) out[i] = in[i] + c * (in[i - 1] - 2 * in[i] + in[i + 1]);
        }

        @Differentiable(wrt = {"u0"})
        public static double heat(double[] u0, double c, int steps) {
          double[] u = u0.clone(), w = new double[u0.length];
          for (int k = 0; k < steps; k++) { step(u, w, c); double[] tmp = u; u = w; w = tmp; }
          double s = 0;
          for (double v : u) s += v * v;
          return s;
        }

        static void step3(double[] prev, double[] cur, double[] next, double c) {
          for (int i = 1; i + 1 < cur.length; i++) {
            next[i] = 2 * cur[i] - prev[i] + c * Math.sin(cur[i - 1] - 2 * cur[i] + cur[i + 1]) * cur[i];
          }
        }

        @Differentiable(wrt = {"u0", "c"})
        public static double wave(double[] u0, double c, int steps) {
          double[] a = u0.clone(), b = u0.clone(), d = new double[u0.length];
          for (int k = 0; k < steps; k++) { step3(a, b, d, c); double[] t = a; a = b; b = d; d = t; }
          double s = 0;
          for (int i = 0; i < b.length; i++) s += b[i] * b[i] + a[i];
          return s;
        }

        static void step2(double[][] in, double[][] out, double c) {
          for (int i = 1; i + 1 < in.length; i++) {
            for (int j = 0; j < in[i].length; j++) out[i][j] = in[i][j] * (1 - c) + c * in[i - 1][j] * in[i + 1][j];
          }
        }

        @Differentiable(wrt = {"m0"})
        public static double heat2(double[][] m0, double c, int steps) {
          double[][] u = new double[m0.length][m0[0].length], w = new double[m0.length][m0[0].length];
          for (int i = 0; i < m0.length; i++) for (int j = 0; j < m0[i].length; j++) { u[i][j] = m0[i][j]; w[i][j] = m0[i][j]; }
          for (int k = 0; k < steps; k++) { step2(u, w, c); double[][] tmp = u; u = w; w = tmp; }
          double s = 0;
          for (int i = 0; i < u.length; i++) for (int j = 0; j < u[i].length; j++) s += u[i][j] * u[i][j];
          return s;
        }

        static void rowStep(double[] up, double[] mid, double[] out, double c) {
          for (int j = 0; j < mid.length; j++) out[j] = mid[j] + c * up[j] * mid[j];
        }

        @Differentiable(wrt = {"p0"})
        public static double rows(double[][] p0, double c, int steps) {
          double[][] phi = new double[p0.length][p0[0].length], next = new double[p0.length][p0[0].length];
          for (int i = 0; i < p0.length; i++) for (int j = 0; j < p0[i].length; j++) { phi[i][j] = p0[i][j]; next[i][j] = p0[i][j]; }
          for (int k = 0; k < steps; k++) {
            for (int i = 0; i + 1 < phi.length; i++) {
              double[] up = phi[i + 1], mid = phi[i], out = next[i];
              rowStep(up, mid, out, c);
            }
            double[][] tmp = phi; phi = next; next = tmp;
          }
          double s = 0;
          for (int i = 0; i < phi.length; i++) for (int j = 0; j < phi[i].length; j++) s += phi[i][j] * phi[i][j];
          return s;
        }

        static void rowStepFirst(double[] up, double[] mid, double[] out, double c) {
          double m0 = mid[0];
          for (int j = 0; j < mid.length; j++) out[j] = mid[j] + c * up[j] * Math.sin(mid[j]) * m0;
        }

        // rows of swapped matrices, one row three times, and loops left early
        @Differentiable(wrt = {"p0", "c"})
        public static double rowsEarlyExit(double[][] p0, double c, int steps, double t) {
          double[][] phi = new double[p0.length][p0[0].length], next = new double[p0.length][p0[0].length];
          for (int i = 0; i < p0.length; i++) for (int j = 0; j < p0[i].length; j++) { phi[i][j] = p0[i][j]; next[i][j] = p0[i][j]; }
          double s = 0;
          for (int k = 0; k < steps; k++) {
            int i = 0;
            while (i + 1 < phi.length) {
              double[] up = phi[i + 1], mid = phi[i], out = next[i];
              i++;
              if (mid[0] > 2) continue;
              rowStepFirst(up, mid, out, c);
              rowStepFirst(out, out, out, c * 0.5);
              s += out[1] * mid[2];
              if (s > t) break;
            }
            double[][] tmp = phi; phi = next; next = tmp;
            if (s > 2 * t) return s + phi[0][0];
          }
          for (int i = 0; i < phi.length; i++) for (int j = 0; j < phi[i].length; j++) s += phi[i][j] * phi[i][j];
          return s;
        }

        static void hw(double[] dst, double[] src, double x) {
          for (int i = 0; i < dst.length; i++) dst[i] = src[i] * src[(i + 1) % src.length] * x + Math.sin(dst[i]);
        }

        @Differentiable(wrt = {"m"})
        public static double rowPairs(double[][] m, double c, int shift) {
          for (int i = 0; i + 1 < m.length; i++) {
            hw(m[(i + shift) % m.length], m[i], c);
            hw(m[i + 1], m[i], c);
          }
          double s = 0;
          for (int i = 0; i < m.length; i++) for (int j = 0; j < m[i].length; j++) s += m[i][j] * (j + 1);
          return s;
        }

        static double[] axpyRet(double[] y, double[] x, double a) {
          for (int i = 0; i < y.length; i++) y[i] += a * x[i] * y[i];
          return y;
        }

        @Differentiable(wrt = {"u0", "c"})
        public static double retSwap(double[] u0, double c, int steps) {
          double[] u = u0.clone(), w = u0.clone();
          for (int k = 0; k < steps; k++) { double[] z = axpyRet(w, u, c); double[] tmp = u; u = z; w = tmp; }
          double[] q = axpyRet(u, u, c * 0.5);
          double s = 0;
          for (int i = 0; i < u.length; i++) s += q[i] * w[i];
          return s;
        }

        static void two(double[] a, double[] b, double[] c, double[] d, double x) {
          for (int i = 0; i < a.length; i++) { a[i] = b[i] * x + a[i] * d[i] * 0.5; c[i] = Math.cos(d[i]) * a[i] + c[i] * 0.5; }
        }

        @Differentiable(wrt = {"p", "x"})
        public static double groups(double[] p, double x, int n) {
          double[] u = p.clone(), v = p.clone(), y = p.clone(), z = p.clone();
          v[0] = 0.5;
          z[1] = -0.3;
          for (int k = 0; k < n; k++) {
            two(u, v, y, z, x);
            double[] t = u; u = v; v = t;
            double[] t2 = y; y = z; z = t2;
            if (u[0] > 10) break;
          }
          two(u, u, y, y, x);
          double s = 0;
          for (int i = 0; i < p.length; i++) s += u[i] * y[i] + v[i] * z[i];
          return s;
        }

        static void scaleByFirst(double[] dst, double[] src, double x) {
          double first = src[0];
          for (int i = 0; i < dst.length; i++) dst[i] = dst[i] * first * x;
        }

        @Differentiable(wrt = {"a", "x"})
        public static double maybeSame(double[] a, double x, int which) {
          double[] w = new double[a.length];
          for (int i = 0; i < a.length; i++) w[i] = a[i] + 1;
          double[] b = which > 0 ? a : w;
          scaleByFirst(b, a, x);
          return b[0] * a[1] + a[2] * w[0];
        }

        static double outer(double[] p, double[] q, double x) {
          hw(p, q, x);
          hw(q, p, x * 0.5);
          return p[0] * q[1];
        }

        @Differentiable(wrt = {"a", "x"})
        public static double nested(double[] a, double x, int which) {
          double[] b = which > 0 ? a : a.clone();
          double r = outer(a, b, x);
          double s = r;
          for (int i = 0; i < a.length; i++) s += a[i] * b[i];
          return s;
        }
      }
      """;

  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Buffers", SOURCE);
    user = compiled.load("demo.Buffers");
    grad = compiled.load("demo.BuffersGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("heat", r -> new Object[] {vector(r, 7, -1, 1), r.nextDouble(0.1, 0.3), r.nextInt(1, 6)}, 0),
        of("wave", r -> new Object[] {vector(r, 6, -1, 1), r.nextDouble(0.1, 0.3), r.nextInt(1, 5)}, 0, 1),
        of("heat2", r -> new Object[] {matrix(r, 4, 3, -1, 1), r.nextDouble(0.1, 0.3), r.nextInt(1, 4)}, 0),
        of("rows", r -> new Object[] {matrix(r, 4, 3, -1, 1), r.nextDouble(0.1, 0.3), r.nextInt(1, 4)}, 0),
        of("rowsEarlyExit", r -> new Object[] {matrix(r, 4, 3, -1, 1.5), r.nextDouble(0.1, 0.4), r.nextInt(1, 4),
            r.nextDouble(0, 1)}, 0, 1).points(12).tolerance(1e-6, 1e-5),
        of("rowPairs", r -> new Object[] {matrix(r, 4, 3, -1, 1), r.nextDouble(0.2, 0.6), r.nextInt(0, 4)}, 0).points(8),
        of("retSwap", r -> new Object[] {vector(r, 5, -1, 1), r.nextDouble(0.1, 0.5), r.nextInt(1, 4)}, 0, 1),
        of("groups", r -> new Object[] {vector(r, 5, -1, 1), r.nextDouble(0.2, 0.8), r.nextInt(1, 4)}, 0, 1),
        of("maybeSame", r -> new Object[] {vector(r, 3, 0.5, 1.5), r.nextDouble(0.2, 0.8), r.nextInt(0, 2)}, 0, 1).points(8),
        of("nested", r -> new Object[] {vector(r, 4, -1, 1), r.nextDouble(0.2, 0.8), r.nextInt(0, 2)}, 0, 1).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  /** The idiom runs the plain helper, versioned by one test of the references per call. */
  @Test
  void distinctBuffersRunThePlainHelper() {
    String generated = compiled.generatedSource("demo.BuffersGrad");
    assertThat(generated).contains("if (u != w) {\n        stepForward(u, w, c, ctx);");
  }
}
