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
 * Found by a user-style test on the tape: a loop left by an early return or a break that reads an
 * array on its way out ({@code a[i] += 0.2; if (i == lim) return a[0] * a[1];}) recorded every
 * overwrite of the array in the loop, as if the reads could come before later iterations. The
 * planner now sends the reads of a branch that sets an exit flag (every later statement of the
 * body guarded by that flag) to the loop's exit, not around its back edge. Gradients against
 * central differences, on both sides of the exit; the tapes asserted.
 */
class ExitPathReadsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Exits {
        @Differentiable(wrt = "x")
        static double returnReads(double[] x, int lim) {
          double[] a = x.clone();
          for (int i = 0; i < a.length; i++) {
            a[i] += 0.2;
            if (i == lim) {
              return a[0] * a[1];
            }
          }
          return a[2] * a[2];
        }

        // the statements after the exit become the else of the exit branch (ExitNormalizer):
        // the running sum read on the way out is not recorded before each later update
        @Differentiable(wrt = "w")
        static double quantile(double[] w, double t) {
          double acc = 0, r = 0;
          for (int i = 0; i < w.length; i++) {
            double wi = w[i] * w[i];
            if (acc + wi >= t) {
              r = (t - acc) / wi;
              break;
            }
            acc += wi;
          }
          return r;
        }

        @Differentiable(wrt = "x")
        static double breakReads(double[] x, int lim) {
          double[] a = x.clone();
          double s = 0;
          int i = 0;
          while (i < a.length) {
            a[i] = a[i] * 0.9 + 0.1;
            if (a[0] + i > lim) {
              s = a[0] * a[1] + a[i] * a[i];
              break;
            }
            i++;
          }
          return s + a[1];
        }

        // a user's flag, set and then reset in the branch: the loop goes on, and the branch's
        // read of a[0] is pending for the later iterations' overwrites of a[0] (found on reading
        // the change: the rule took it for an exit, and the gradient was 2.41 where central
        // differences give 1.58)
        @Differentiable(wrt = "x")
        static double flagReset(double[] x, int lim) {
          double[] a = {0.5, 0.2};
          boolean done = false;
          double s = 0;
          int i = 0;
          while (!done && i < x.length) {
            a[0] = a[0] * 0.9 + x[i];
            if (i == lim) {
              done = true;
              s += a[0] * a[0];
              done = false;
            }
            if (!done) {
              i++;
            }
          }
          return s + a[0];
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
        of("returnReads", r -> new Object[] {vector(r, 6, -1, 1), 3}, 0),
        of("returnReads", r -> new Object[] {vector(r, 6, -1, 1), 9}, 0),
        of("breakReads", r -> new Object[] {vector(r, 6, -0.3, 0.3), 3}, 0),
        of("breakReads", r -> new Object[] {vector(r, 6, -0.3, 0.3), 50}, 0),
        of("flagReset", r -> new Object[] {vector(r, 4, -1, 1), 1}, 0),
        of("quantile", r -> new Object[] {vector(r, 8, 0.5, 1), 3.1}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * n = 1,000, left at i = 900: a handed to the reverse sweep (8 + 16 + 8,000), the trip count,
   * the index and the flag's bit; 901 doubles were recorded before (one per overwrite).
   */
  @Test
  void theOverwritesBeforeTheExitRecordNothing() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("returnReads", double[].class, int.class, double[].class, RadContext.class)
        .invoke(null, new double[1000], 900, new double[1000], ctx);
    assertEquals(8 + 16 + 8_000 + 4 + 4 + 1, ctx.peakTapeBytes());
  }

  /**
   * The exit branch with an else (found by a user-style round): 1,000 weights of 1, left at i =
   * 500: the bits (a branch's per iteration, the flag's twice: 503, in 63 bytes), the trip count,
   * the index and acc handed over; acc was recorded before each of the 500 updates as well (4,000
   * bytes more).
   */
  @Test
  void theUpdatesAfterAnExitWithElseRecordNothing() throws Exception {
    RadContext ctx = RadContext.exact();
    double[] w = new double[1000];
    java.util.Arrays.fill(w, 1.0);
    grad.getDeclaredMethod("quantile", double[].class, double.class, double[].class, RadContext.class)
        .invoke(null, w, 500.5, new double[1000], ctx);
    assertEquals(63 + 4 + 4 + 8, ctx.peakTapeBytes());
  }
}
