package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by the fuzzer's unbiasedness check (seed 42, program 6455: the mean of 400 randomized
 * gradients 11.18, standard error 0.32, against the exact 6.45). A parameter sampled whole
 * ({@code @Randomize double[] v1}) reached a derivative term twice along one chain through an
 * adjoint array: {@code acc += v0[i] * v1[i]} puts v1[i]'s sample into {@code v0Bar[i]}, and the
 * reverse of {@code v0[k] = v0[k] + v1[k] * v1[1]} multiplies that adjoint by v1[k]'s sample
 * again. The check now follows the samples of arrays recorded whole once and never written
 * through adjoint arrays, and rejects the request.
 */
class SampleTwiceThroughAdjointArrayTest {
  /**
   * Seed 31337, program 2360 (mean -0.131, standard error 0.009, against the exact -0.066): the
   * same with the parameter written once outside any loop ({@code v1[0] += ...}), which keeps one
   * draw per element for the call, and sampling with replacement.
   */
  @Test
  void aParameterWrittenOnceOutsideLoopsIsFollowedToo() {
    Compilation c = Compiled.compileExpectingFailure("demo.Once", """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        import org.rad.annotations.Sampling;
        public class Once {
          @Differentiable(wrt = {"x0", "v1"})
          static double f(double x0, double[] v0, @Randomize(fraction = 0.5, sampling = Sampling.WITH_REPLACEMENT) double[] v1) {
            v0[1] += (v1[1] / (1.0 + x0 * x0)) * v0[1];
            v1[0] += 0.5;
            double acc = 0;
            for (int i = 0; i < v0.length; i++) {
              acc += v0[i] * v1[i];
            }
            return acc;
          }
        }
        """);
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors().get(0).getMessage(null)).contains("[RadBiased] @Randomize on v1 would bias the gradient");
  }

  @Test
  void aWholeRecordReachingATermTwiceThroughAnAdjointArrayIsRejected() {
    Compilation c = Compiled.compileExpectingFailure("demo.Twice", """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Twice {
          @Differentiable(wrt = {"v0", "v1"})
          static double f(double[] v0, @Randomize(fraction = 0.5) double[] v1) {
            for (int k = 0; k < v1.length; k++) {
              v0[k] = v0[k] + v1[k] * v1[1];
            }
            double acc = 0;
            for (int i = 0; i < v0.length; i++) {
              acc += v0[i] * v1[i];
            }
            return acc;
          }
        }
        """);
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    String message = c.errors().get(0).getMessage(null);
    assertThat(message).contains("[RadBiased] @Randomize on v1 would bias the gradient");
    assertThat(message).contains("v0Bar[k]"); // the adjoint array that carries the sample
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(6L);
  }
}
