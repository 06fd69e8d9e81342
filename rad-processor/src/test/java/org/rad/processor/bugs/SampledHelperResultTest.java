package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by the fuzzer's unbiasedness check (seed 2026, program 3346: the mean of 400 randomized
 * gradients -0.101, standard error 0.009, against the exact 0.096). {@code @Randomize double[] a
 * = a0(v)} samples the array a helper returns, and the helper's own reverse sweep reads it (the
 * array is its result, kept by reference): {@code v[0] = sin(v[0] + res[1])} differentiated
 * with a sampled {@code res[1]}. Such a request is now checked in the helper's reverse sweep with
 * its result marked sampled, and rejected; a copy of the result may be randomized.
 */
class SampledHelperResultTest {
  static String source(String call) {
    return """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Results {
          static double[] a0(double[] v) {
            double[] res = new double[v.length];
            for (int i = 0; i < res.length; i++) {
              res[i] = v[i] * 2;
            }
            v[0] = Math.sin(v[0] + res[1]);
            return res;
          }
          @Differentiable(wrt = "v")
          static double f(double[] v) {
            @Randomize(fraction = 0.5) double[] a = %s;
            double s = a[0] * v[1];
            for (int i = 0; i < v.length; i++) {
              s += v[i] * v[i];
            }
            return s;
          }
        }
        """.formatted(call);
  }

  @Test
  void aSampledResultTheHelperReadsNonAffinelyIsRejected() {
    Compilation c = Compiled.compileExpectingFailure("demo.Results", source("a0(v)"));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    String message = c.errors().get(0).getMessage(null);
    assertThat(message).contains("[RadBiased] @Randomize on a would bias the gradient: it holds the array a0 returns");
    assertThat(message).contains("a = a0(...).clone()");
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(15L);
  }

  @Test
  void aCopyOfTheResultMayBeRandomized() {
    Compiled.compile("demo.Results", source("a0(v).clone()"));
  }
}
