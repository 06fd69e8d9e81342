package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * tanh, exp and sqrt of an argument that is overwritten later take their derivative from the
 * result: gradients stay right, and a vanilla RNN's tape holds no pre-activations.
 */
class ResultDerivativesGradientTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Activations {
        @Differentiable(wrt = {"w", "u"})
        static double rnn(double[][] w, double[][] u, double[] b, double[][] xs) {
          int n = b.length;
          double[] h = new double[n], next = new double[n];
          for (int t = 0; t < xs.length; t++) {
            double[] x = xs[t];
            for (int i = 0; i < n; i++) {
              double a = b[i];
              for (int j = 0; j < n; j++) a += w[i][j] * h[j];
              for (int j = 0; j < x.length; j++) a += u[i][j] * x[j];
              next[i] = Math.tanh(a);
            }
            double[] tmp = h; h = next; next = tmp;
          }
          double s = 0;
          for (int i = 0; i < n; i++) s += h[i] * h[i];
          return s;
        }

        @Differentiable(wrt = "x")
        static double mixed(double[] x) {
          double s = 0;
          double a = 0;
          for (int i = 0; i < x.length; i++) {
            a = x[i] * a + 0.5;
            double e = Math.exp(a * 0.3);
            double r = Math.sqrt(1 + a * a);
            s += e * r;
            a = Math.tanh(a) + e;
            x[i] = Math.exp(-x[i]);
          }
          return s + a;
        }

        // in place on elements: the partials come from the new values, read later too
        @Differentiable(wrt = "x")
        static double inPlace(double[] x, int rounds) {
          double[] h = x.clone();
          double s = 0;
          for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < h.length; i++) {
              h[i] = h[i] * 0.7 + x[(i + r) % x.length];
              h[i] = Math.tanh(h[i]);
              s += h[i] * h[(i + 1) % h.length];
              h[i] = Math.exp(h[i]);
              h[i] = Math.sqrt(h[i] + 1);
            }
          }
          return s + h[0] * h[1];
        }

        // in place with an argument linear in the array: a max-shifted softmax, a neighbour's
        // value, a scaled sum
        @Differentiable(wrt = "z")
        static double shifted(double[] z, double[] w) {
          int m = z.length;
          double[] a = z.clone();
          double mx = a[0];
          for (int e = 1; e < m; e++) mx = Math.max(mx, a[e]);
          for (int e = 0; e < m; e++) a[e] = Math.exp(a[e] - mx);
          for (int e = 0; e + 1 < m; e++) a[e] = Math.tanh(0.5 * a[e + 1] - a[e] / 3);
          for (int e = 0; e < m; e++) a[e] = Math.sqrt(2 * a[e] + w[e]);
          double s = 0;
          for (int e = 0; e < m; e++) s += a[e];
          for (int e = 0; e < m; e++) a[e] /= s;
          double l = 0;
          for (int e = 0; e < m; e++) l += w[e] * a[e] * a[e];
          return l;
        }

        // a factor with a derivative of its own has the old value in its partial (fuzzer seed
        // 4242, P3607: an earlier form of the in-place rule took it, and the gradient was wrong)
        @Differentiable(wrt = {"x0", "x1"})
        static double ownFactor(double x0, double x1, double[] v0) {
          for (int i4 = v0.length - 1; i4 >= 0; i4--) {
            v0[i4] = Math.tanh(v0[i4] + ((2.0 * x1) * v0[i4]));
          }
          return Math.pow(1.5 + Math.sin(x0), x0) + v0[0];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Activations", SOURCE);
    user = c.load("demo.Activations");
    grad = c.load("demo.ActivationsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("rnn", r -> new Object[] {matrix(r, 5, 5, -0.5, 0.5), matrix(r, 5, 3, -1, 1), vector(r, 5, -1, 1),
            matrix(r, 7, 3, -1, 1)}, 0, 1),
        of("mixed", r -> new Object[] {vector(r, 6, -1, 1)}, 0),
        of("inPlace", r -> new Object[] {vector(r, 4, -1, 1), 3}, 0),
        of("shifted", r -> new Object[] {vector(r, 7, -1, 1), vector(r, 7, 0.5, 1.5)}, 0),
        of("ownFactor", r -> new Object[] {0.3 + 0.5 * r.nextDouble(), 0.2 + 0.5 * r.nextDouble(), vector(r, 2, -1, 1)},
            0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * The RNN's tape: the old values of next[i] (T n doubles, which the W h partials of the step
   * before need), the two references of each swap and their hand-off (2T + 2 references of 8
   * bytes), and the two state arrays held only by the tape (2 (16 + 8 n)); no pre-activation.
   */
  @Test
  void theRnnTapesNoPreActivation() throws Exception {
    int n = 8, m = 3, steps = 20;
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("rnn", double[][].class, double[][].class, double[].class, double[][].class,
        double[][].class, double[][].class, RadContext.class)
        .invoke(null, new double[n][n], new double[n][m], new double[n], new double[steps][m], new double[n][n],
            new double[n][m], ctx);
    assertEquals(8L * steps * n + 8L * (2 * steps + 2) + 2 * (16 + 8L * n), ctx.peakTapeBytes());
  }
}
