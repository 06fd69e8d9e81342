package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * Found by user-style test programs: a loop left on a condition over a running sum ({@code s +=
 * x[i] * x[i]; if (s > stop) break;}) recorded {@code s} at every iteration so that the reverse
 * sweep could evaluate the condition again, where one bit per iteration says which way it went;
 * and a histogram of counts ({@code count[i % 4]++}) recorded each count before its increment,
 * which the reverse sweep undoes exactly (Inversions on integer elements). Plan now records the
 * bit where the condition reads what every iteration of its loop writes (counted indices, undone
 * counters and recomputed declarations aside). Gradients against central differences; the tape
 * slopes asserted (both were 8 bytes or more per iteration).
 */
class LoopConditionRecordsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Exits {
        @Differentiable(wrt = "x")
        static double breakOnSum(double[] x, double stop) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i];
            if (s > stop) break;
          }
          return s;
        }

        @Differentiable(wrt = "x")
        static double returnWithCounts(double[] x, double stop) {
          int[] count = new int[4];
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * x[i] * (1 + count[i % 4]);
            count[i % 4]++;
            if (s > stop) return s * count[0];
          }
          return s * count[0];
        }

        // an increment that reads its own array: recorded, not undone
        @Differentiable(wrt = "x")
        static double selfReadingCount(double[] x) {
          int[] count = new int[3];
          count[0] = 1;
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            count[i % 3] += count[(i + 1) % 3] % 5;
            s += x[i] * count[i % 3];
          }
          return s * s;
        }

        // neighbours of a chain: i + 1 < n is counted (down from n - 2), recorded nowhere
        @Differentiable(wrt = "x")
        static double shiftedCondition(double[] x, double scale) {
          double s = 0;
          for (int r = 0; r < 3; r++) {
            for (int i = 0; i + 1 < x.length; i++) {
              s += Math.sin(scale * x[i] * x[i + 1]);
            }
            for (int i = x.length - 1; 0 < i; i--) {
              s += x[i] * x[i - 1];
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
    Compiled c = Compiled.compile("demo.Exits", SOURCE);
    user = c.load("demo.Exits");
    grad = c.load("demo.ExitsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("breakOnSum", r -> new Object[] {vector(r, 12, -1, 1), r.nextDouble(0.5, 3)}, 0).points(8),
        of("returnWithCounts", r -> new Object[] {vector(r, 12, -1, 1), r.nextDouble(0.5, 5)}, 0).points(8),
        of("selfReadingCount", r -> new Object[] {vector(r, 7, -1, 1)}, 0),
        of("shiftedCondition", r -> new Object[] {vector(r, 6, -1, 1), r.nextDouble(0.5, 2)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void aConditionOverARunningSumRecordsABitPerIteration() throws Exception {
    double slope = (tape("breakOnSum", 2000) - tape("breakOnSum", 1000)) / 1000.0;
    assertTrue(slope <= 0.2, slope + " bytes per iteration");
  }

  @Test
  void countsAreUndoneNotRecorded() throws Exception {
    double slope = (tape("returnWithCounts", 2000) - tape("returnWithCounts", 1000)) / 1000.0;
    assertTrue(slope <= 0.2, slope + " bytes per iteration");
  }

  /** The loops over i + 1 < n and 0 < i record nothing (4 bytes of index and count per run before). */
  @Test
  void shiftedAndMirroredConditionsAreCounted() throws Exception {
    assertTrue(tape("shiftedCondition", 50) == 0, tape("shiftedCondition", 50) + " bytes");
  }

  static long tape(String method, int n) throws Exception {
    RadContext ctx = RadContext.exact();
    double[] x = new double[n];
    java.util.Arrays.fill(x, 1e-3);
    grad.getDeclaredMethod(method, double[].class, double.class, double[].class, RadContext.class)
        .invoke(null, x, 1e9, new double[n], ctx);
    return ctx.peakTapeBytes();
  }
}
