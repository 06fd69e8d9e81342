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
 * Integer counters ({@code idx++}, {@code k += step}, {@code m = m + k}) are undone by the reverse
 * sweep, not taped per update: the gradient is right and the tape holds only the hand-off of
 * their final values (and what else needs recording).
 */
class CountersTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Counters {
        @Differentiable(wrt = "q")
        static double packed(double[] q, double[] x) {
          double s = 0;
          int idx = 0;
          for (int i = 0; i < x.length; i++) {
            for (int j = i + 1; j < x.length; j++) {
              s += Math.sin(q[idx] * x[j]) * x[i];
              idx++;
            }
          }
          return s;
        }

        @Differentiable(wrt = "q")
        static double strided(double[] q, int step) {
          double s = 0;
          int k = 0;
          long m = 3;
          while (k < q.length) {
            s += Math.cos(q[k]) * q[(int) (m % q.length)];
            k += step;
            m = m + k;
            m = 2 + m;
            k = k - 1;
            k++;
          }
          return s;
        }

        /** The inner loop is not counted (i + 1 < n): its index is undone, and each outer step needs its exit value back. */
        @Differentiable(wrt = "x")
        static double nestedUncounted(double[] x, int reps) {
          double s = 0;
          for (int k = 0; k < reps; k++) {
            for (int i = 0; i + 1 < x.length; i++) {
              s += Math.sin(x[i] * x[i + 1] + s * 0.1);
            }
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Counters", SOURCE);
    user = c.load("demo.Counters");
    grad = c.load("demo.CountersGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("packed", r -> new Object[] {vector(r, 15, -1, 1), vector(r, 6, -1, 1)}, 0),
        of("strided", r -> new Object[] {vector(r, 11, -1, 1), 1 + r.nextInt(3)}, 0),
        of("nestedUncounted", r -> new Object[] {vector(r, 5, -1, 1), 1 + r.nextInt(3)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * packed reads no overwritten double, so its whole tape is the final value of idx (4 bytes);
   * strided's loop records its trip count (4 bytes) and hands off k and m (4 + 8).
   */
  @Test
  void countersAreNotTaped() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("packed", double[].class, double[].class, double[].class, RadContext.class)
        .invoke(null, new double[15], new double[6], new double[15], ctx);
    assertEquals(4, ctx.peakTapeBytes());
    grad.getDeclaredMethod("strided", double[].class, int.class, double[].class, RadContext.class)
        .invoke(null, new double[11], 2, new double[11], ctx);
    assertEquals(16, ctx.peakTapeBytes());
  }
}
