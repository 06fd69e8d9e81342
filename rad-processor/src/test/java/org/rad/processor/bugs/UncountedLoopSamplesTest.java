package org.rad.processor.bugs;

import java.lang.reflect.Method;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found by a user-style test of {@code @Randomize}: in a loop the reverse sweep does not count (a
 * while loop, a for loop left by a break, a for loop over an index declared before it), a sampled
 * element record was keyed without the iteration, so every iteration drew the same sample. The
 * reverse sweep of {@code p[0] = p[0] * q[0]; q[0] = q[0] + w[0];} multiplies samples of two
 * iterations, and the mean of 20,000 randomized gradients was 121.1 +- 0.5 against the exact
 * 101.0 (z = 37). Such records are now keyed by the iteration count the sweeps keep anyway.
 * The mean of 8,000 seeded randomized gradients must lie within 5 standard errors of the exact
 * gradient (a false alarm has probability below 1e-6); the old bias was about 18 standard errors
 * at this count.
 */
class UncountedLoopSamplesTest {
  static String source(String loop) {
    return """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Compound {
          @Differentiable(wrt = "w")
          public static double f(double[] w, int stop) {
            double[] p = {1.0};
            @Randomize(fraction = 0.5)
            double[] q = {2.0};
            %s
            return p[0];
          }
        }
        """.formatted(loop);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "int t = 0; while (t < 4) { p[0] = p[0] * q[0]; q[0] = q[0] + w[0]; t++; }",
      "for (int t = 0; t < 10; t++) { p[0] = p[0] * q[0]; q[0] = q[0] + w[0]; if (t == stop) break; }",
      "int t; for (t = 0; t < 4; t++) { p[0] = p[0] * q[0]; q[0] = q[0] + w[0]; }",
      "int t = 0; while (true) { p[0] = p[0] * q[0]; q[0] = q[0] + w[0]; t++; if (t >= 4) break; }"})
  void eachIterationDrawsItsOwnSample(String loop) throws Exception {
    Compiled c = Compiled.compile("demo.Compound", source(loop));
    Method f = c.load("demo.CompoundGrad").getDeclaredMethod("f", double[].class, int.class, double[].class,
        RadContext.class);
    double[] w = {0.5};
    SeededMeans.assertUnbiased(1, 8000, 7, (g, ctx) -> f.invoke(null, w, 3, g, ctx));
  }
}
