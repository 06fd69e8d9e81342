package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by the fuzzer (seed 2029, program 4429; present in the builds of the session before
 * too): a wrong gradient without an error (d/dm0[0][0] -6.43 where central differences give
 * -3.12). {@code e4 = v0[k]} was recomputed late, at the start of the reverse of the loop that
 * reads it, from {@code v0} as the loop left it; a helper called after the loop overwrites
 * {@code v0}, and its reverse was to give it back. But a late recomputation at the start of a
 * loop's (or branch's, or block's) reverse was not among the reads pending at that call, so once
 * helpers restore only what their callers need, the helper restored nothing and the
 * recomputation read {@code v0} as the helper left it. Such reads are now the loop's header
 * reads, pending after it (and a while loop's header reads are too).
 */
class LateRecomputationAcrossCallTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Late {
        static void w0(double[] out, double[] v1, double[] v2) {
          for (int i0 = 0; i0 < out.length; i0++) {
            out[i0] = (0.5 + (v2[2] + out[i0]));
          }
        }

        static void shift(double[] out) {
          for (int i = 0; i < out.length; i++) out[i] = out[i] * 0.5 + 0.1;
        }

        @Differentiable(wrt = {"x0", "x1", "v0", "m0"})
        static double f(double x0, double x1, double[] v0, double[][] m0, int steps) {
          for (double e4 : v0) {
            for (int i7 = 1; i7 < m0.length; i7++) {
              for (int j8 = 1; j8 < m0[i7].length; j8++) {
                m0[i7][j8] = (m0[i7 - 1][j8] * 0.6 + m0[i7][j8 - 1] * 0.3 + m0[i7 - 1][j8 - 1] * (e4 + x1));
              }
            }
            w0(v0, v0, v0);
          }
          return ((m0[2][1] + 0.5) * 0.5) * x0;
        }

        // the same through a while loop and a helper without aliases
        @Differentiable(wrt = {"x1", "v0"})
        static double whileLoop(double x1, double[] v0) {
          double s = 0;
          int k = 0;
          while (k < v0.length) {
            double e = v0[k];
            int j = 0;
            while (j < 3) {
              s = s * 0.5 + e * x1 * (j + 1);
              j++;
            }
            shift(v0);
            k++;
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Late", SOURCE);
    user = c.load("bugs.Late");
    grad = c.load("bugs.LateGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("f", r -> new Object[] {0.3 + r.nextDouble(), -1 + r.nextDouble(), vector(r, 4, -1, 1), matrix(r, 3, 4, -1, 1), 3},
            0, 1, 2, 3),
        of("whileLoop", r -> new Object[] {0.5 + r.nextDouble(), vector(r, 4, -1, 1)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
