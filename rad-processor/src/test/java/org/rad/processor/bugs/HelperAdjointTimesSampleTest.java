package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found this session by writing a user-style program: a cell update {@code act(theta0 * x[i] +
 * ...) * x[i]} with {@code x} randomized and {@code act} a piecewise-linear helper. Inside the
 * helper the sample is used affinely, so the helper's own check passed; but the adjoint the
 * helper hands back is its seed times its partial, and the seed carries the sample ({@code
 * resultBar * x[i]}), which the caller then multiplied by {@code x[i]} again. The caller's check
 * took every handed-back adjoint as free of samples, and the program compiled: the mean of
 * 20,000 randomized gradients was 145.3 +- 0.6 against the exact 45.2. Handed-back adjoints
 * (returned, or through the context) now carry the samples of the callee's number arguments,
 * and the program is {@code [RadBiased]} at its {@code @Randomize}, whether the helper returns
 * its one adjoint or hands two back through the context. A helper of exact values times the
 * sample still compiles and stays unbiased. (The check is conservative: a handed-back adjoint is
 * taken to carry the samples of every number argument, also where the helper's partials do not
 * read it, as a piecewise-linear helper's do not.)
 */
class HelperAdjointTimesSampleTest {
  static String source(String call, String factor) {
    return """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Cells {
          static double act(double v) {
            if (v < -1) return -1 + 0.1 * (v + 1);
            if (v > 1) return 1 + 0.1 * (v - 1);
            return v;
          }
          static double act2(double v, double c) {
            if (v < -1) return -1 + c * (v + 1);
            return v;
          }
          @Differentiable(wrt = "theta")
          public static double loss(double[] theta, double[] x0, int steps) {
            int n = x0.length;
            @Randomize(fraction = 0.3)
            double[] x = x0.clone();
            double[] next = new double[n];
            double[] w = new double[n];
            for (int i = 0; i < n; i++) w[i] = 0.5 + 0.1 * i;
            double total = 0;
            for (int t = 0; t < steps; t++) {
              for (int i = 0; i < n; i++) {
                double near = x[(i + 1) %% n];
                next[i] = %s * %s;
              }
              double[] tmp = x; x = next; next = tmp;
              for (int i = 0; i < n; i++) total += x[i] * x[i];
            }
            return total;
          }
        }
        """.formatted(call, factor);
  }

  @ParameterizedTest
  @ValueSource(strings = {"act(theta[0] * x[i] + theta[1] * near)", "act2(theta[0] * x[i] + theta[1] * near, 0.1 * theta[1])"})
  void aHandedBackAdjointMultipliedByItsSampleAgainIsRejected(String call) {
    Compilation c = Compiled.compileExpectingFailure("demo.Cells", source(call, "x[i]"));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    String message = c.errors().get(0).getMessage(null);
    assertThat(message).contains("[RadBiased] @Randomize on x would bias the gradient");
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(18L);
  }

  /**
   * A helper of exact values times the sample: its handed-back adjoint carries the sample once
   * (through its seed) and meets it no more. The mean of 4,000 seeded randomized gradients is
   * within 5 standard errors of the exact one in every component (a false alarm has probability
   * below 1e-5 per component).
   */
  @Test
  void theHelperTimesAnExactValueCompilesAndStaysUnbiased() throws Exception {
    Compiled c = Compiled.compile("demo.Cells", source("act(theta[0] * w[i] + theta[1])", "x[i]"));
    Method loss = c.load("demo.CellsGrad").getDeclaredMethod("loss", double[].class, double[].class, int.class,
        double[].class, RadContext.class);
    double[] theta = {0.9, 0.2};
    double[] x0 = new double[6];
    for (int i = 0; i < x0.length; i++) {
      x0[i] = Math.sin(i) * 1.3;
    }
    double[] exact = new double[2];
    loss.invoke(null, theta, x0, 3, exact, RadContext.exact());
    int n = 4000;
    double[] sum = new double[2];
    double[] sumSq = new double[2];
    RadContext ctx = RadContext.seeded(23);
    for (int r = 0; r < n; r++) {
      double[] g = new double[2];
      loss.invoke(null, theta, x0, 3, g, ctx);
      for (int k = 0; k < 2; k++) {
        sum[k] += g[k];
        sumSq[k] += g[k] * g[k];
      }
    }
    for (int k = 0; k < 2; k++) {
      double mean = sum[k] / n;
      double se = Math.sqrt(Math.max(sumSq[k] / n - mean * mean, 0) / n);
      assertTrue(Math.abs(mean - exact[k]) <= 5 * se + 1e-12, "component " + k + ": mean " + mean + ", exact "
          + exact[k] + ", standard error " + se);
    }
  }
}
