package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found by a user-style test of {@code @Randomize}: the entries of one record are independent
 * draws only under Bernoulli sampling. Kept k of d entries (with or without replacement) and
 * Rademacher signs are correlated across entries, and {@code sameAcross} (a loop, or {@code
 * Randomize.ROWS}) makes entries of different iterations or rows one sample; a product of two of
 * them through an adjoint array ({@code p[0] *= q[0]; p[0] *= q[1];}) compiled and was biased
 * (without replacement: the mean 0.327 against the exact 1.98). The samples of such records are
 * now followed through adjoint arrays, and such programs are {@code [RadBiased]}; under Bernoulli
 * sampling the same program compiles, and the mean of 8,000 seeded gradients lies within 5
 * standard errors of the exact one (a false alarm has probability below 1e-6).
 */
class CorrelatedSamplesTest {
  static String twoEntries(String sampling) {
    return """
        package demo;
        import org.rad.annotations.*;
        public class L {
          @Differentiable(wrt = "w")
          public static double f(double[] w) {
            double[] p = {w[0]};
            @Randomize(fraction = 0.5, sampling = Sampling.%s)
            double[] q = new double[2];
            for (int i = 0; i < 2; i++) q[i] = 1.2 + w[i];
            p[0] = p[0] * q[0];
            p[0] = p[0] * q[1];
            return p[0];
          }
        }
        """.formatted(sampling);
  }

  @ParameterizedTest
  @ValueSource(strings = {"WITHOUT_REPLACEMENT", "WITH_REPLACEMENT", "RADEMACHER"})
  void aProductOfTwoEntriesOfOneCorrelatedRecordIsRejected(String sampling) {
    Compilation c = Compiled.compileExpectingFailure("demo.L", twoEntries(sampling));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors().get(0).getMessage(null)).contains("[RadBiased] @Randomize on q would bias the gradient");
  }

  @Test
  void underBernoulliSamplingTheSameProgramCompilesAndStaysUnbiased() throws Exception {
    Compiled c = Compiled.compile("demo.L", twoEntries("BERNOULLI"));
    Method f = c.load("demo.LGrad").getDeclaredMethod("f", double[].class, double[].class, RadContext.class);
    double[] w = {0.3, -0.4};
    SeededMeans.assertUnbiased(2, 8000, 11, (g, ctx) -> f.invoke(null, w, g, ctx));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      """
      double[] p = {1.0};
      for (int t = 0; t < 3; t++) {
        @Randomize(fraction = 0.5, sameAcross = "t")
        double[] q = {1.2 + (t + 1) * w[0]};
        p[0] = p[0] * q[0];
      }
      return p[0];
      """,
      """
      @Randomize(fraction = 0.5, sameAcross = Randomize.ROWS)
      double[][] h = new double[2][1];
      h[0][0] = 1.5 + w[0];
      for (int t = 0; t < 1; t++) h[t + 1][0] = w[1] * h[t][0];
      return h[1][0] * h[1][0];
      """})
  void oneSampleSharedAcrossIterationsOrRowsTwiceAlongAChainIsRejected(String body) {
    Compilation c = Compiled.compileExpectingFailure("demo.L", """
        package demo;
        import org.rad.annotations.*;
        public class L {
          @Differentiable(wrt = "w")
          public static double f(double[] w) {
        %s
          }
        }
        """.formatted(body));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors().get(0).getMessage(null)).contains("[RadBiased]");
  }
}
