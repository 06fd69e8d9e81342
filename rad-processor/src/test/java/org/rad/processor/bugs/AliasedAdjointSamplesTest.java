package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.rad.processor.Compiled;

/**
 * Found by a user-style round (@Randomize through helpers): the samples the soundness check
 * follows through adjoint arrays were tracked per variable, not per array, so a sample that
 * reached an array through one name and met itself through another compiled: {@code c = r} after
 * {@code r[i] = c[i] * h[i]}, then {@code s += c[i] * h[i]}: mean 1.286 against the exact 0.947
 * (z = 30); a gate applied twice, {@code c = gate(c, h); c = gate(c, h)}; a swapped pair of
 * buffers; a GRU-like gate over time steps (z up to 85 in a leaky-integrator model). Adjoint arrays
 * are now tracked per alias class, as the analysis said they were (Effects.adjointContentsKey).
 * This is conservative: distinct rows of one sampled matrix met through a reassigned state array
 * ({@code c = gate(c, g[t])}) are taken as one sample and rejected too.
 */
class AliasedAdjointSamplesTest {
  static String source(String body) {
    return """
        package demo;
        import org.rad.annotations.*;
        public class G {
          static double[] act(double[] w, double[] x) {
            double[] r = new double[w.length];
            for (int i = 0; i < w.length; i++) r[i] = Math.sin(x[i] * w[i]);
            return r;
          }
          static double[] gate(double[] c, double[] h) {
            double[] r = new double[c.length];
            for (int i = 0; i < c.length; i++) r[i] = c[i] * h[i];
            return r;
          }
          @Differentiable(wrt = "w")
          public static double f(double[] w, double[] x) {
            int n = w.length;
            @Randomize(fraction = 0.5)
            double[] h = act(w, x);
            %s
          }
        }
        """.formatted(body);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "double[] c = w; double[] r = new double[n]; for (int i = 0; i < n; i++) r[i] = c[i] * h[i]; c = r;"
          + " double s = 0; for (int i = 0; i < n; i++) s += c[i] * h[i]; return s;",
      "double[] c = w.clone(); c = gate(c, h); c = gate(c, h); double s = 0; for (int i = 0; i < n; i++) s += c[i];"
          + " return s;",
      "double[] a = w.clone(); double[] b = new double[n]; for (int t = 0; t < 2; t++) {"
          + " for (int i = 0; i < n; i++) b[i] = a[i] * h[i]; double[] tmp = a; a = b; b = tmp; }"
          + " double s = 0; for (int i = 0; i < n; i++) s += a[i]; return s;"})
  void aSampleMeetingItselfThroughAnotherNameIsRejected(String body) {
    Compilation c = Compiled.compileExpectingFailure("demo.G", source(body));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors().get(0).getMessage(null)).contains("[RadBiased] @Randomize on h would bias the gradient");
  }
}
