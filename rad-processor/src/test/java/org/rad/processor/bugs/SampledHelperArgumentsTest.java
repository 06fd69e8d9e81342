package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found this session: a sampled value passed to a helper whose reverse sweep reads it
 * non-affinely ({@code e(a[i])} with {@code e(u) = exp(u)}, so {@code uBar += resultBar *
 * exp(u)}) was accepted, and the randomized gradient was biased (mean of 20,000 draws 16.3 and
 * 41.9 against the exact 12.4 and 20.5). The caller's check did not follow its calls: it now
 * checks each callee's reverse sweep with the parameters that receive samples marked, down the
 * calls, and rejects the program at its {@code @Randomize}. A helper that is linear in the
 * sample still compiles, and its randomized gradient is unbiased.
 */
class SampledHelperArgumentsTest {
  static String source(String helperBody) {
    return """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Helpers {
          static double e(double u, double w) {
            %s
          }
          static double twice(double u, double w) {
            return e(u, w) * 2;
          }
          @Differentiable
          public static double f(double[] x) {
            @Randomize(fraction = 0.5)
            double[] a = new double[x.length];
            double s = 0;
            for (int k = 0; k < 3; k++) {
              for (int i = 0; i < x.length; i++) a[i] = x[i] * (k + 1);
              for (int i = 0; i < x.length; i++) s += twice(a[i], x[i]);
            }
            return s;
          }
        }
        """.formatted(helperBody);
  }

  @Test
  void aSampleEnteringAHelperNonAffinelyIsRejectedAtItsRandomize() {
    Compilation c = Compiled.compileExpectingFailure("demo.Helpers", source("return Math.exp(u) * w;"));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    String message = c.errors().get(0).getMessage(null);
    assertThat(message).contains("[RadBiased] @Randomize on a would bias the gradient");
    assertThat(message).contains("passed to twice, which passes it on to e");
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(14L);
  }

  /**
   * u * w * w is linear in the sample u: the mean of 4,000 seeded randomized gradients is within
   * 5 standard errors of the exact one in every component (a false alarm has probability below
   * 1e-5 per component).
   */
  @Test
  void aHelperLinearInTheSampleCompilesAndStaysUnbiased() throws Exception {
    Compiled c = Compiled.compile("demo.Helpers", source("return u * w * w;"));
    Method f = c.load("demo.HelpersGrad").getDeclaredMethod("f", double[].class, double[].class, RadContext.class);
    double[] x = {0.3, -0.7, 1.1};
    double[] exact = new double[3];
    f.invoke(null, x, exact, RadContext.exact());
    int n = 4000;
    double[] sum = new double[3];
    double[] sumSq = new double[3];
    RadContext ctx = RadContext.seeded(17);
    for (int r = 0; r < n; r++) {
      double[] g = new double[3];
      f.invoke(null, x, g, ctx);
      for (int i = 0; i < 3; i++) {
        sum[i] += g[i];
        sumSq[i] += g[i] * g[i];
      }
    }
    for (int i = 0; i < 3; i++) {
      double mean = sum[i] / n;
      double se = Math.sqrt(Math.max(sumSq[i] / n - mean * mean, 0) / n);
      assertTrue(Math.abs(mean - exact[i]) <= 5 * se + 1e-12, "component " + i + ": mean " + mean + ", exact "
          + exact[i] + ", standard error " + se);
    }
  }
}
