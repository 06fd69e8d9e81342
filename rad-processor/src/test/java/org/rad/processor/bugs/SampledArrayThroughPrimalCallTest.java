package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by the fuzzer (seed 2030, program 2401; the check had this gap before this session too):
 * {@code x0 /= 1.0 + s0(v0) * s0(v0)} with {@code v0} sampled compiled, and the mean of 400
 * randomized gradients was 0.00579 (standard error 0.00031) against the exact 0.00362. The
 * reverse sweep recomputes {@code s0(v0)} as its primal copy from the sampled {@code v0}, and the
 * soundness check took every generated call for a callee's reverse sweep, whose value carries no
 * sample of an array argument. A primal copy's value now carries its array arguments' samples,
 * non-linearly; where it enters no derivative, the program still compiles.
 */
class SampledArrayThroughPrimalCallTest {
  static String source(String update) {
    return """
        package fz;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        import org.rad.annotations.Sampling;
        public class P {
          static double s0(double[] v0) {
            double d0 = (v0[2] - 0.5);
            return d0;
          }

          @Differentiable(wrt = {"x0", "x1"})
          static double f(double x0, double x1, @Randomize(fraction = 0.5, sampling = Sampling.RADEMACHER) double[] v0,
              int steps) {
            for (int i5 = 0; i5 < v0.length; i5++) {
              %s
            }
            return x0 * x1;
          }
        }
        """.formatted(update);
  }

  @Test
  void aHelpersValueOverASampledArrayInAPartialIsRejected() {
    Compilation c = Compiled.compileExpectingFailure("fz.P", source("x0 /= 1.0 + s0(v0) * s0(v0);"));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors().get(0).getMessage(null)).contains("[RadBiased] @Randomize on v0 would bias the gradient");
  }

  @Test
  void aHelpersValueThatEntersNoDerivativeCompiles() {
    Compilation c = Compiled.compileExpectingFailure("fz.P", source("x0 += s0(v0);"));
    assertThat(c.errors()).isEmpty();
  }
}
