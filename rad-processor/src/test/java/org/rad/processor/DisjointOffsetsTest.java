package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * One array passed to a helper twice, at offsets (ADBench's LSTM passes a layer's hidden state as
 * the next layer's input): the call is versioned on the ranges the helper reaches through the two
 * parameters (analysis.Footprints). Where they are disjoint at run time the helper runs as
 * differentiated for distinct arrays, which recomputes its gate from the input instead of
 * recording it; where they overlap it runs the variant for one array. Both give the gradient of
 * the code as written.
 */
class DisjointOffsetsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Layers {
        static double sigmoid(double x) {
          return 1 / (1 + Math.exp(-x));
        }

        // as ADBench's lstmModel: the gate is read after a second write, which, were out and in
        // one array, could have changed the input it is computed from
        static void layer(int n, double[] w, double[] out, int o, double[] in, int k) {
          for (int i = 0; i < n; i++) {
            double gate = sigmoid(in[k + i] * w[i]);
            out[o + n + i] = out[o + n + i] * 0.5 + Math.tanh(in[k + i] * w[n + i]);
            out[o + i] = gate * Math.tanh(out[o + n + i]);
          }
        }

        // layer l reads the slice layer l - 1 wrote
        @Differentiable(wrt = "w")
        static double stacked(double[] w, double[] state, int n, int shift) {
          double[] s = state.clone();
          for (int l = 1; l < 3; l++) {
            layer(n, w, s, l * shift, s, (l - 1) * shift);
          }
          double t = 0;
          for (int i = 0; i < s.length; i++) t += s[i] * s[i] * (i + 1);
          return t;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Layers", SOURCE);
    user = c.load("demo.Layers");
    grad = c.load("demo.LayersGrad");
  }

  /** shift = 2 n: the slices are disjoint; shift = 2 or 0: each layer reads what it overwrites. */
  static Stream<GradientCase> cases() {
    return Stream.of(
        of("stacked", r -> new Object[] {vector(r, 8, -1, 1), vector(r, 24, -1, 1), 4, 8}, 0),
        of("stacked", r -> new Object[] {vector(r, 8, -1, 1), vector(r, 24, -1, 1), 4, 2}, 0),
        of("stacked", r -> new Object[] {vector(r, 8, -1, 1), vector(r, 24, -1, 1), 4, 0}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * With disjoint slices, no layer records its gates (2 layers x 4 more doubles where the slices
   * overlap, and the variant also records its gate's last value): the plain helper ran.
   */
  @Test
  void disjointSlicesRunTheHelperForDistinctArrays() throws Exception {
    assertEquals(2 * (4 + 1) * 8, tape(2) - tape(8));
  }

  static long tape(int shift) throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("stacked", double[].class, double[].class, int.class, int.class, double[].class,
        RadContext.class).invoke(null, new double[8], new double[24], 4, shift, new double[8], ctx);
    return ctx.peakTapeBytes();
  }
}
