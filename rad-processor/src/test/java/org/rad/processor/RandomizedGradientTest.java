package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;
import org.rad.runtime.RadDiagnostics;

/**
 * Randomized AD, statistically: for six functions with {@code @Randomize} intermediates, the mean
 * of M seeded randomized gradients lies within 5 standard errors of the exact gradient in every
 * component, for f = 0.5 and 0.1; the variance grows as f shrinks; and f = 1 gives the exact
 * gradient. Every draw is seeded, so the test is reproducible; with 6 functions x 2 fractions x
 * about 40 components, a 5-sigma bound fails by chance with probability below 1e-4.
 */
class RandomizedGradientTest {
  static final int DRAWS = 400;
  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  static final String SOURCE = """
      package rad;
      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Randomize;
      public class Rad {
        @Differentiable(wrt = "w")
        static double dense(double[][] w, @Randomize(fraction = 0.5) double[] x) {
          double loss = 0;
          for (int i = 0; i < w.length; i++) {
            double y = 0;
            for (int j = 0; j < x.length; j++) {
              y += w[i][j] * x[j];
            }
            loss += Math.tanh(y);
          }
          return loss;
        }

        @Differentiable(wrt = {"w1", "w2", "w3"})
        static double relu2(double[][] w1, double[][] w2, double[] w3, double[] x) {
          @Randomize(fraction = 0.5)
          double[] h1 = new double[w1.length];
          for (int i = 0; i < w1.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
              s += w1[i][j] * x[j];
            }
            h1[i] = Math.max(0, s);
          }
          @Randomize(fraction = 0.5)
          double[] h2 = new double[w2.length];
          for (int i = 0; i < w2.length; i++) {
            double s = 0;
            for (int j = 0; j < h1.length; j++) {
              s += w2[i][j] * h1[j];
            }
            h2[i] = Math.max(0, s);
          }
          double out = 0;
          for (int i = 0; i < h2.length; i++) {
            out += w3[i] * h2[i];
          }
          return Math.sin(out);
        }

        @Differentiable(wrt = "theta")
        static double reactor(double[] theta, int n, int steps, double dt) {
          double dx = 1.0 / n;
          @Randomize(fraction = 0.5)
          double[][] phi = new double[n + 1][n + 1];
          double[][] next = new double[n + 1][n + 1];
          for (int i = 0; i <= n; i++) {
            for (int j = 0; j <= n; j++) {
              phi[i][j] = Math.sin(Math.PI * i * dx) * Math.sin(Math.PI * j * dx);
            }
          }
          double loss = 0;
          for (int k = 1; k <= steps; k++) {
            double t = k * dt;
            for (int i = 1; i < n; i++) {
              double c = theta[0] + theta[1] * Math.sin(Math.PI * t) + theta[2] * Math.cos(2 * Math.PI * i * dx);
              for (int j = 1; j < n; j++) {
                double lap = phi[i + 1][j] + phi[i - 1][j] + phi[i][j + 1] + phi[i][j - 1] - 4 * phi[i][j];
                next[i][j] = phi[i][j] + 0.25 * dt / (dx * dx) * lap + dt * c * phi[i][j];
              }
            }
            double[][] swap = phi;
            phi = next;
            next = swap;
            for (int i = 0; i <= n; i++) {
              for (int j = 0; j <= n; j++) {
                double d = phi[i][j] - 0.5 * Math.sin(Math.PI * i * dx);
                loss += dt * d * d;
              }
            }
          }
          return loss;
        }

        @Differentiable(wrt = {"w", "u"})
        static double rnn(double[][] w, double[] u, double[] xs) {
          int n = u.length;
          @Randomize(fraction = 0.5)
          double[] h = new double[n];
          double[] next = new double[n];
          double loss = 0;
          for (int t = 0; t < xs.length; t++) {
            for (int i = 0; i < n; i++) {
              double a = u[i] * xs[t];
              for (int j = 0; j < n; j++) {
                a += w[i][j] * h[j];
              }
              next[i] = Math.tanh(a);
            }
            double[] tmp = h;
            h = next;
            next = tmp;
            for (int i = 0; i < n; i++) {
              loss += h[i] * xs[t];
            }
          }
          return loss;
        }

        @Differentiable(wrt = {"w1", "w2"})
        static double twoSampled(double[][] w1, double[][] w2, double[] x) {
          @Randomize(fraction = 0.5)
          double[] h1 = new double[w1.length];
          for (int i = 0; i < w1.length; i++) {
            double s = 0;
            for (int j = 0; j < x.length; j++) {
              s += w1[i][j] * x[j];
            }
            h1[i] = Math.tanh(s);
          }
          @Randomize(fraction = 0.5)
          double[] h2 = new double[w2.length];
          for (int i = 0; i < w2.length; i++) {
            double s = 0;
            for (int j = 0; j < h1.length; j++) {
              s += w2[i][j] * h1[j];
            }
            h2[i] = s;
          }
          double loss = 0;
          for (int i = 0; i < h2.length; i++) {
            loss += h2[i] * h2[i];
          }
          return loss;
        }

        @Differentiable(wrt = {"w", "u"})
        static double rows(double[][] w, double[] u, double[][] xs) {
          @Randomize(fraction = 0.5, sameAcross = Randomize.ROWS)
          double[][] h = new double[xs.length][w.length];
          for (int b = 0; b < xs.length; b++) {
            for (int i = 0; i < w.length; i++) {
              double s = 0;
              for (int j = 0; j < xs[b].length; j++) {
                s += w[i][j] * xs[b][j];
              }
              h[b][i] = Math.tanh(s);
            }
          }
          double loss = 0;
          for (int b = 0; b < h.length; b++) {
            double out = 0;
            for (int i = 0; i < u.length; i++) {
              out += u[i] * h[b][i];
            }
            loss += out * out;
          }
          return loss;
        }

        @Differentiable(wrt = {"w", "u"})
        static double batch(double[][] w, double[] u, double[][] xs) {
          double loss = 0;
          for (int b = 0; b < xs.length; b++) {
            @Randomize(fraction = 0.5, sameAcross = "b")
            double[] h = new double[w.length];
            for (int i = 0; i < w.length; i++) {
              double s = 0;
              for (int j = 0; j < xs[b].length; j++) {
                s += w[i][j] * xs[b][j];
              }
              h[i] = Math.tanh(s);
            }
            double out = 0;
            for (int i = 0; i < h.length; i++) {
              out += u[i] * h[i];
            }
            loss += out * out;
          }
          return loss;
        }
      }
      """;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("rad.Rad", SOURCE);
    user = compiled.load("rad.Rad");
    grad = compiled.load("rad.RadGrad");
  }

  static double[][] matrix(SplittableRandom r, int rows, int cols) {
    double[][] m = new double[rows][cols];
    for (double[] row : m) {
      for (int j = 0; j < cols; j++) {
        row[j] = r.nextDouble(-1, 1);
      }
    }
    return m;
  }

  static double[] vector(SplittableRandom r, int n) {
    return r.doubles(n, -1, 1).toArray();
  }

  /** Name, wrt indices, and fixed arguments drawn from a seeded generator. */
  static Stream<Arguments> functions() {
    return Stream.of(
        Arguments.of("dense", new int[] {0}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {matrix(r, 3, 4), vector(r, 4)}),
        Arguments.of("relu2", new int[] {0, 1, 2}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {matrix(r, 4, 3), matrix(r, 3, 4), vector(r, 3), vector(r, 3)}),
        Arguments.of("reactor", new int[] {0}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {new double[] {4.9, 0.05, -0.03}, 5, 12, 1.0 / 64}),
        Arguments.of("rnn", new int[] {0, 1}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {matrix(r, 3, 3), vector(r, 3), vector(r, 4)}),
        Arguments.of("twoSampled", new int[] {0, 1}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {matrix(r, 3, 3), matrix(r, 3, 3), vector(r, 3)}),
        Arguments.of("batch", new int[] {0, 1}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {matrix(r, 3, 3), vector(r, 3), matrix(r, 4, 3)}),
        Arguments.of("rows", new int[] {0, 1}, (Function<SplittableRandom, Object[]>) r ->
            new Object[] {matrix(r, 3, 3), vector(r, 3), matrix(r, 4, 3)}));
  }

  private static RadDiagnostics.Report measure(String name, int[] wrt, Object[] args, double fraction, long seed) {
    GradientHarness h = new GradientHarness(user, grad, name, wrt);
    return RadDiagnostics.measure(ctx -> h.gradient(args, ctx).gradient(), DRAWS, seed,
        RadContext.seeded(seed).withFraction(fraction));
  }

  private static double totalVariance(RadDiagnostics.Report r) {
    double sum = 0;
    for (double v : r.variance()) {
      sum += v;
    }
    return sum;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void meanOfRandomizedGradientsIsTheExactGradient(String name, int[] wrt, Function<SplittableRandom, Object[]> draw) {
    Object[] args = draw.apply(new SplittableRandom(5));
    for (double f : new double[] {0.5, 0.1}) {
      RadDiagnostics.Report r = measure(name, wrt, args, f, 17);
      assertTrue(totalVariance(r) > 0, name + " at f=" + f + ": the gradient did not vary, so nothing was sampled");
      assertTrue(r.maxStandardErrorsFromExact() <= 5,
          name + " at f=" + f + ": the mean is " + r.maxStandardErrorsFromExact() + " standard errors from exact\n" + r);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("functions")
  void varianceGrowsAsTheFractionShrinks(String name, int[] wrt, Function<SplittableRandom, Object[]> draw) {
    Object[] args = draw.apply(new SplittableRandom(5));
    double half = totalVariance(measure(name, wrt, args, 0.5, 23));
    double tenth = totalVariance(measure(name, wrt, args, 0.1, 23));
    assertTrue(tenth > half, name + ": variance at f=0.1 (" + tenth + ") is not above f=0.5 (" + half + ")");
  }

  @org.junit.jupiter.api.Test
  void sameAcrossSharesTheSample() {
    String generated = compiled.generatedSource("rad.RadGrad");
    // the mini-batch loop variable b is left out of the key: one sample for every example
    assertTrue(generated.contains("ctx.recordArray(5, Sampling.BERNOULLI, 0.5, h, CounterRng.key())")
        || generated.matches("(?s).*ctx\\.recordArray\\(\\d+, Sampling\\.BERNOULLI, 0\\.5, h2?, CounterRng\\.key\\(\\)\\).*"),
        generated);
    // Randomize.ROWS: the rows of a matrix recorded whole share one sample
    assertTrue(generated.matches("(?s).*ctx\\.recordRows\\(\\d+, Sampling\\.BERNOULLI, 0\\.5, h\\d*, true, CounterRng\\.key\\(\\)\\).*"),
        generated);
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
}
