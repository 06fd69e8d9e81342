package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;
import org.rad.runtime.RadContext;

/**
 * Found by an independent random-program fuzzer: a write whose index reads the array it writes
 * ({@code a[(int) (a[1] * 2) % 3] = a[2] + 1}) had its old value restored, in the reverse sweep,
 * at the index evaluated again after the write had changed the array: another element. The
 * statements before it then saw wrong values, and the gradient was wrong without an error (the
 * random program's d/dM[0][0] was 0.584 where central differences give 0.230). Such an index is
 * now a local of its own (transform/WrittenIndices), recorded where it cannot be recomputed; and a
 * local an element write's index reads is no longer recomputed in that write's reverse, after the
 * restore that needs it (Plan#lastReader: in a loop the restore used the next iteration's index).
 * Gradients against central differences (step 1e-6, tolerance 1e-6 relative to max(1, |g|)),
 * and a closed form at a point where the index moves.
 */
class IndexReadingTheWrittenArrayTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Indices {
        @Differentiable
        static double own(double[] a) {
          double s = a[0] * a[1];
          a[(int) (a[1] * 2) % 3] = a[2] + 1;
          return s + a[0] * a[2];
        }

        // a matrix row's column from the row itself, compound
        @Differentiable
        static double row(double[][] m) {
          double s = m[0][0] * m[0][1];
          m[0][(int) (m[0][1] * 2) % 3] *= m[1][0];
          return s + m[0][2] * m[0][0];
        }

        // in a loop, the index in a local of the user's: the restore read k before its
        // recomputation, so a loop's k came from the iteration after
        @Differentiable(wrt = {"v", "w"})
        static double inALoop(double[] v, double[] w) {
          for (int i = 0; i < v.length; i++) {
            int k = ((int) (3 * Math.abs(v[0]))) % v.length;
            v[k] = v[0] * w[i];
          }
          double s = 0;
          for (int i = 0; i < v.length; i++) {
            s += v[i] * w[i];
          }
          return s;
        }

        // the same with the index written inline (rad-fuzz DATA_INDEX, seed 20261205, P9)
        @Differentiable(wrt = {"v", "w"})
        static double inlineInALoop(double[] v, double[] w) {
          for (int i = 0; i < v.length; i++) {
            v[((int) (1 * Math.abs(v[0]))) % v.length] = v[((int) 0.5) % v.length] * -w[i];
          }
          double s = 0;
          for (int i = 0; i < w.length; i++) {
            s += w[i] * v[i];
          }
          return s;
        }

        // as the random program was found (minimized): the index reads the array through a nested index
        @Differentiable
        static double found(double[][] M, int n, double[] a) {
          double s1 = 0;
          double mn2 = Math.exp(0.5 * Math.sin(a[n]));
          int cnt4 = 0;
          for (int i5 = 0; i5 < M.length; i5++) {
            for (int j6 = 0; j6 < M[i5].length; j6++) {
              s1 += M[i5][j6] * (Math.tanh(mn2) + a[j6]);
              s1 += Math.tanh(a[Math.max(j6, 0)]);
            }
          }
          a[((int) (2 * Math.abs(a[(cnt4 * n + ((int) (4 * (1 + Math.tanh(a[(cnt4) % a.length] * (double) (Math.min(3, n)))))))
              % a.length]))) % a.length] = Math.max(a[((int) (2 * Math.abs(a[(cnt4 * n + ((int) (4 * (1 + Math.tanh(a[(cnt4)
              % a.length] * (double) (Math.min(3, n))))))) % a.length]))) % a.length], Math.min(Math.log(1 + (Math.cos(a[3 + 1]))
              * (Math.cos(a[3 + 1]))), 1.5));
          return 0.5 * s1 + mn2;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Indices", SOURCE);
    user = c.load("demo.Indices");
    grad = c.load("demo.IndicesGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("own", r -> new Object[] {vector(r, 3, 0.1, 0.9)}, 0).points(8),
        of("row", r -> new Object[] {new double[][] {vector(r, 3, 0.1, 0.9), vector(r, 2, 0.5, 2)}}, 0).points(8),
        of("inALoop", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1)}, 0, 1).points(12),
        of("inlineInALoop", r -> new Object[] {vector(r, 3, -1.5, 1.5), vector(r, 3, -1, 1)}, 0, 1).points(12),
        of("found", r -> new Object[] {new double[][] {vector(r, 4, -1.5, 1.5)}, 5, vector(r, 7, -1.5, 1.5)}, 0, 2).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** At a = (0.2, 0.6, 0.3) the write goes to a[1] (index 1), after which the index reads 2.6: a[2]. */
  @Test
  void theElementWrittenGetsItsValueBack() throws Exception {
    double[] a = {0.2, 0.6, 0.3};
    double[] aBar = new double[3];
    grad.getDeclaredMethod("own", double[].class, double[].class, RadContext.class).invoke(null, a, aBar, RadContext.exact());
    // f = a0 a1 + a0 a2: d/da0 = a1 + a2 = 0.9, d/da1 = a0 = 0.2, d/da2 = a0 = 0.2
    assertEquals(0.9, aBar[0], 1e-15);
    assertEquals(0.2, aBar[1], 1e-15);
    assertEquals(0.2, aBar[2], 1e-15);
  }
}
