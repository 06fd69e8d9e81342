package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;
import org.rad.runtime.RadContext;

/**
 * Found by the differential fuzzer (seed 7, program 924: "double tape underflow"; and an "int
 * tape underflow" with Rademacher sampling): a helper's reverse sweep re-evaluated a branch
 * condition on an array parameter that, at the call, receives a {@code @Randomize} array, which
 * the caller had restored as a sample by then; the decision flipped and the reverse popped what
 * the forward never pushed. A helper's parameters that may hold a sample now keep their
 * decisions exact, recorded as bits (and loops their trip counts), for every sampler.
 */
class SampledArgumentDecisionTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Randomize;
      import org.rad.annotations.Sampling;
      public class Sampled {
        static void clamp(double[] out, double[] v, double[][] m) {
          if (v[1] < 0.3) {
            m[0][0] = 0.5 * m[0][0] + v[0];
          }
          int n = 0;
          while (n < out.length && v[n % v.length] < 0.8) {
            out[n] = out[n] * v[0];
            n++;
          }
        }

        static double inner(double[] out, double[] v, double[][] m) {
          clamp(out, v, m);
          return out[0] + m[0][0];
        }

        @Differentiable(wrt = {"x"})
        static double bernoulli(double x, @Randomize(fraction = 0.5) double[] v) {
          double[] u = {x, x * x, 1};
          double[][] m = new double[2][2];
          m[0][0] = x;
          m[1][1] = x;
          return inner(u, v, m) * x;
        }

        @Differentiable(wrt = {"x"})
        static double withReplacement(double x, @Randomize(fraction = 0.5, sampling = Sampling.WITH_REPLACEMENT) double[] v) {
          double[] u = {x, x * x, 1};
          double[][] m = new double[2][2];
          m[0][0] = x;
          m[1][1] = x;
          return inner(u, v, m) * x;
        }

        @Differentiable(wrt = {"x"})
        static double rademacher(double x, @Randomize(fraction = 0.5, sampling = Sampling.RADEMACHER) double[] v) {
          double[] u = {x, x * x, 1};
          double[][] m = new double[2][2];
          m[0][0] = x;
          m[1][1] = x;
          return inner(u, v, m) * x;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Sampled", SOURCE);
    user = c.load("bugs.Sampled");
    grad = c.load("bugs.SampledGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of("bernoulli", "withReplacement", "rademacher")
        .map(m -> of(m, r -> new Object[] {r.nextDouble(-1, 1), vector(r, 3, -1, 1)}, 0).points(8));
  }

  /** Exact context: value, gradient against finite differences, arrays. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void exactGradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** Seeded contexts: every draw runs (no tape underflow) and returns the original's value. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everySampleRunsAndKeepsTheValue(GradientCase c) throws Exception {
    Method original = user.getDeclaredMethod(c.method(), double.class, double[].class);
    original.setAccessible(true);
    Method gradient = grad.getDeclaredMethod(c.method(), double.class, double[].class, double[].class, RadContext.class);
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int seed = 0; seed < 200; seed++) {
      double x = r.nextDouble(-1, 1);
      double[] v = vector(r, 3, -1, 1);
      double expected = (double) original.invoke(null, x, v.clone());
      double value = (double) gradient.invoke(null, x, v.clone(), new double[1], RadContext.seeded(seed));
      assertEquals(expected, value, 0.0, "seed " + seed);
    }
  }
}
