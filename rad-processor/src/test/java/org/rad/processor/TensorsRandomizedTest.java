package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;
import org.rad.runtime.RadDiagnostics;

/**
 * {@code @Randomize} on a {@code double[][][]}, as on a {@code double[][]}: the old values a
 * stencil over time slices overwrites (written by index or through slice and row references)
 * become sampled element records, and a field the reverse sweep reads but never overwrites is
 * recorded whole, slice by slice and row by row ({@code ctx.recordSlices}), also with {@code
 * sameAcross = Randomize.ROWS} and on a parameter. For each function the mean of 400 seeded
 * randomized gradients lies within 5 standard errors of the exact gradient in every component at
 * f = 0.5 and 0.1 (5 functions x 2 fractions x at most 12 components: a 5-sigma bound fails by
 * chance with probability below 1e-4; every draw is seeded, so the test is reproducible), the
 * gradient does vary (something is sampled), and f = 1 gives the exact gradient.
 */
class TensorsRandomizedTest {
  static final int DRAWS = 400;

  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Randomize;
      public class SampledTensors {
        /** The reactor's stencil over two time slices of one field, indexed by the step's parity. */
        @Differentiable(wrt = "theta")
        static double reactor(double[] theta, int n, int steps) {
          @Randomize(fraction = 0.5)
          double[][][] phi = new double[2][n + 1][n + 1];
          for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
              phi[0][i][j] = Math.sin(Math.PI * i / n) * Math.sin(Math.PI * j / n);
            }
          }
          double total = 0;
          for (int s = 0; s < steps; s++) {
            for (int i = 1; i < n; i++) {
              double c = theta[0] + theta[1] * Math.sin(i + s) + theta[2] * Math.cos(s);
              for (int j = 1; j < n; j++) {
                phi[(s + 1) % 2][i][j] = phi[s % 2][i][j]
                    + 0.2 * (phi[s % 2][i + 1][j] + phi[s % 2][i - 1][j] + phi[s % 2][i][j + 1] + phi[s % 2][i][j - 1] - 4 * phi[s % 2][i][j])
                    + 0.1 * c * phi[s % 2][i][j];
              }
            }
            double sum = 0;
            for (int i = 0; i <= n; i++) {
              for (int j = 0; j <= n; j++) {
                double e = phi[(s + 1) % 2][i][j] - 0.05 * i;
                sum += e * e;
              }
            }
            total += sum;
          }
          return total;
        }

        /** The same stencil through slice and row references, with a scalar temporary. */
        @Differentiable(wrt = "theta")
        static double references(double[] theta, int n, int steps) {
          @Randomize(fraction = 0.5)
          double[][][] phi = new double[2][n + 1][n + 1];
          for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
              phi[0][i][j] = Math.sin(Math.PI * i / n) * Math.sin(Math.PI * j / n);
            }
          }
          double total = 0;
          for (int s = 0; s < steps; s++) {
            double[][] cur = phi[s % 2];
            double[][] next = phi[(s + 1) % 2];
            for (int i = 1; i < n; i++) {
              double c = theta[0] + theta[1] * Math.sin(i + s) + theta[2] * Math.cos(s);
              double[] up = cur[i + 1], mid = cur[i], down = cur[i - 1], out = next[i];
              for (int j = 1; j < n; j++) {
                double p = mid[j];
                out[j] = p + 0.2 * (up[j] + down[j] + mid[j + 1] + mid[j - 1] - 4 * p) + 0.1 * c * p;
              }
            }
            for (int i = 0; i <= n; i++) {
              for (int j = 0; j <= n; j++) {
                double e = next[i][j] - 0.05 * i;
                total += e * e;
              }
            }
          }
          return total;
        }

        /** A field of activations, recorded whole after its last use in the forward sweep. */
        @Differentiable(wrt = {"w", "u"})
        static double layer(double[][] w, double[] u, double[][][] xs) {
          @Randomize(fraction = 0.5)
          double[][][] h = new double[xs.length][xs[0].length][w.length];
          for (int b = 0; b < xs.length; b++) {
            for (int k = 0; k < xs[b].length; k++) {
              for (int i = 0; i < w.length; i++) {
                double s = 0;
                for (int j = 0; j < xs[b][k].length; j++) {
                  s += w[i][j] * xs[b][k][j];
                }
                h[b][k][i] = Math.tanh(s);
              }
            }
          }
          double loss = 0;
          for (int b = 0; b < h.length; b++) {
            for (int k = 0; k < h[b].length; k++) {
              double out = 0;
              for (int i = 0; i < u.length; i++) {
                out += u[i] * h[b][k][i];
              }
              loss += out * out;
            }
          }
          return loss;
        }

        /** The same with one sample shared by every row of the field. */
        @Differentiable(wrt = {"w", "u"})
        static double sharedRows(double[][] w, double[] u, double[][][] xs) {
          @Randomize(fraction = 0.5, sameAcross = Randomize.ROWS)
          double[][][] h = new double[xs.length][xs[0].length][w.length];
          for (int b = 0; b < xs.length; b++) {
            for (int k = 0; k < xs[b].length; k++) {
              for (int i = 0; i < w.length; i++) {
                double s = 0;
                for (int j = 0; j < xs[b][k].length; j++) {
                  s += w[i][j] * xs[b][k][j];
                }
                h[b][k][i] = Math.tanh(s);
              }
            }
          }
          double loss = 0;
          for (int b = 0; b < h.length; b++) {
            for (int k = 0; k < h[b].length; k++) {
              double out = 0;
              for (int i = 0; i < u.length; i++) {
                out += u[i] * h[b][k][i];
              }
              loss += out * out;
            }
          }
          return loss;
        }

        /** A sampled double[][][] parameter (data read by the weights' adjoint). */
        @Differentiable(wrt = "w")
        static double parameter(double[][] w, @Randomize(fraction = 0.5) double[][][] x) {
          double loss = 0;
          for (int b = 0; b < x.length; b++) {
            for (int k = 0; k < x[b].length; k++) {
              for (int i = 0; i < w.length; i++) {
                double y = 0;
                for (int j = 0; j < x[b][k].length; j++) {
                  y += w[i][j] * x[b][k][j];
                }
                loss += Math.tanh(y);
              }
            }
          }
          return loss;
        }
      }
      """;

  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.SampledTensors", SOURCE);
    user = compiled.load("demo.SampledTensors");
    grad = compiled.load("demo.SampledTensorsGrad");
  }

  static double[][][] tensor(SplittableRandom r, int slices, int rows, int cols) {
    double[][][] t = new double[slices][][];
    for (int s = 0; s < slices; s++) {
      t[s] = GradientCase.matrix(r, rows, cols, -1, 1);
    }
    return t;
  }

  static Stream<Arguments> functions() {
    return Stream.of(
        Arguments.of("reactor", new int[] {0}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {new double[] {0.5, 0.3, -0.2}, 5, 6}),
        Arguments.of("references", new int[] {0}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {new double[] {0.5, 0.3, -0.2}, 5, 6}),
        Arguments.of("layer", new int[] {0, 1}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {GradientCase.matrix(r, 2, 3, -1, 1), GradientCase.vector(r, 2, -1, 1), tensor(r, 2, 2, 3)}),
        Arguments.of("sharedRows", new int[] {0, 1}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {GradientCase.matrix(r, 2, 3, -1, 1), GradientCase.vector(r, 2, -1, 1), tensor(r, 2, 2, 3)}),
        Arguments.of("parameter", new int[] {0}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {GradientCase.matrix(r, 2, 3, -1, 1), tensor(r, 2, 2, 3)}));
  }

  private static RadDiagnostics.Report measure(String name, int[] wrt, Object[] args, double fraction, long seed) {
    GradientHarness h = new GradientHarness(user, grad, name, wrt);
    return RadDiagnostics.measure(ctx -> h.gradient(args, ctx).gradient(), DRAWS, seed,
        RadContext.seeded(seed).withFraction(fraction));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void exactGradientMatchesCentralDifferences(String name, int[] wrt, Function<SplittableRandom, Object[]> draw) {
    GradientCase.of(name, draw, wrt).check(user, grad);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void meanOfRandomizedGradientsIsTheExactGradient(String name, int[] wrt, Function<SplittableRandom, Object[]> draw) {
    Object[] args = draw.apply(new SplittableRandom(5));
    for (double f : new double[] {0.5, 0.1}) {
      RadDiagnostics.Report r = measure(name, wrt, args, f, 17);
      double variance = 0;
      for (double v : r.variance()) {
        variance += v;
      }
      assertTrue(variance > 0, name + " at f=" + f + ": the gradient did not vary, so nothing was sampled");
      assertTrue(r.maxStandardErrorsFromExact() <= 5,
          name + " at f=" + f + ": the mean is " + r.maxStandardErrorsFromExact() + " standard errors from exact\n" + r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void fractionOneIsExact(String name, int[] wrt, Function<SplittableRandom, Object[]> draw) {
    Object[] args = draw.apply(new SplittableRandom(5));
    GradientHarness h = new GradientHarness(user, grad, name, wrt);
    double[] exact = h.gradient(args, RadContext.exact()).gradient();
    double[] one = h.gradient(args, RadContext.seeded(3).withFraction(1.0)).gradient();
    for (int k = 0; k < exact.length; k++) {
      assertEquals(exact[k], one[k], 1e-12 * Math.max(1, Math.abs(exact[k])), name + " component " + k);
    }
  }

  @Test
  void theFieldIsSampledByElementAndWhole() {
    String generated = compiled.generatedSource("demo.SampledTensorsGrad");
    // the stencil's overwrites: sampled element records (a row of them at a time)
    assertTrue(generated.matches("(?s).*ctx\\.pushSampled(Range|At)\\(.*"), generated);
    // activations: recorded whole, slice by slice; ROWS: one sample for every row
    assertTrue(generated.matches("(?s).*ctx\\.recordSlices\\(\\d+, Sampling\\.BERNOULLI, 0\\.5, h\\d*, false, .*"), generated);
    assertTrue(generated.matches("(?s).*ctx\\.recordSlices\\(\\d+, Sampling\\.BERNOULLI, 0\\.5, h\\d*, true, .*"), generated);
    assertTrue(generated.matches("(?s).*ctx\\.restoreSlices\\(.*"), generated);
    // the parameter: recorded whole too (x is dropped in the forward sweep)
    assertTrue(generated.matches("(?s).*ctx\\.recordSlices\\(\\d+, Sampling\\.BERNOULLI, 0\\.5, x, false, .*"), generated);
  }
}
