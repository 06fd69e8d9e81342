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
 * What a caller needs back from a helper that writes its array (transform.RestoredParameters,
 * PushPlanner): a work buffer that a helper of a helper fills is restored by neither, once the
 * middle helper is known to read nothing of it (the callers are planned again until no method
 * reads less); and an array whose elements a loop records and restores before its reads needs
 * nothing back from a helper that overwrites it after the loop.
 */
class CallerNeedsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Needs {
        static void square(double[] y, double[] out) {
          for (int i = 0; i < y.length; i++) {
            out[i] = y[i] * y[i];
          }
        }

        static void step(double[] y, double[] k) {
          square(y, k);
          for (int i = 0; i < y.length; i++) {
            y[i] += 0.01 * k[i];
          }
        }

        // k's old contents are read by no reverse sweep: only y is recorded, once per step
        @Differentiable(wrt = "y0")
        static double workBuffer(double[] y0, int steps) {
          double[] y = y0.clone();
          double[] k = new double[y.length];
          for (int s = 0; s < steps; s++) {
            step(y, k);
          }
          double r = 0;
          for (int i = 0; i < y.length; i++) {
            r += y[i] * y[i];
          }
          return r;
        }

        static void mix(double[] a, double c) {
          for (int i = 1; i < a.length; i++) {
            a[i] = a[i] + c * a[i - 1];
          }
        }

        // the k loop records re[k] before its overwrite and restores it before the power term
        // reads it: the second mix need not give re back
        @Differentiable(wrt = "x")
        static double restoredInTheLoop(double[] x) {
          int n = x.length;
          double[] re = x.clone();
          mix(re, 0.5);
          double power = 0;
          for (int k = 0; k < n; k++) {
            power += re[k] * re[k];
            re[k] *= 2.0 + k;
          }
          mix(re, -0.25);
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += Math.tanh(re[i]);
          }
          return s + power;
        }

        static void square(double[] a) {
          for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * a[i];
          }
        }

        // square's reverse reads only what it restores itself: nothing of h as the call left it,
        // so the tanh pass, which overwrites h, records nothing for it
        @Differentiable(wrt = "x")
        static double squareThenTanh(double[] x) {
          double[] h = x.clone();
          square(h);
          for (int i = 0; i < h.length; i++) {
            h[i] = Math.tanh(h[i]);
          }
          double s = 0;
          for (int i = 0; i < h.length; i++) {
            s += h[i];
          }
          return s;
        }

        // the same with the squaring written out: its reads come after its own restores
        @Differentiable(wrt = "x")
        static double twoPasses(double[] x) {
          double[] h = x.clone();
          for (int i = 0; i < h.length; i++) {
            h[i] = h[i] * h[i];
          }
          for (int i = 0; i < h.length; i++) {
            h[i] = Math.tanh(h[i]);
          }
          double s = 0;
          for (int i = 0; i < h.length; i++) {
            s += h[i];
          }
          return s;
        }

        // an entry that overwrites a caller's array each step: its gradient method copies the
        // final contents back itself, so nothing is recorded to give acc back
        @Differentiable(wrt = "x")
        static double accumulate(double[] x, double[] acc, int steps) {
          double r = 0;
          for (int s = 0; s < steps; s++) {
            for (int i = 0; i < x.length; i++) {
              acc[i] = 0.9 * acc[i] + Math.sin(x[i] * (s + 1));
            }
            r += acc[s % acc.length];
          }
          return r;
        }

        // the same entry called by another, which reads the buffer's earlier contents again
        // after the call: there accumulate must give acc back
        @Differentiable(wrt = "x")
        static double accumulateTwice(double[] x) {
          double[] acc = new double[x.length];
          acc[0] = x[0];
          double before = acc[0] * acc[0];
          double r = accumulate(x, acc, 3);
          return r + before * acc[1];
        }

        static void spring(double[] pa, double[] pb, double[] fa, double[] fb, double k) {
          double d = pb[0] - pa[0];
          fa[0] += k * Math.sin(d);
          fb[0] -= k * Math.sin(d);
        }

        // the rows of f that spring accumulates into are needed back by no one: spring records
        // nothing, the step records p (n doubles)
        @Differentiable(wrt = {"k", "p0"})
        static double springs(double k, double[] p0, int steps) {
          int n = p0.length;
          double[][] p = new double[n][1];
          double[][] f = new double[n][1];
          for (int i = 0; i < n; i++) {
            p[i][0] = p0[i];
          }
          for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) {
              f[i][0] = 0;
            }
            for (int i = 0; i < n - 1; i++) {
              spring(p[i], p[i + 1], f[i], f[i + 1], k);
            }
            for (int i = 0; i < n; i++) {
              p[i][0] += 0.01 * f[i][0];
            }
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += p[i][0] * p[i][0];
          }
          return s;
        }
      }
      """;

  /**
   * The same helper where the loop's read comes after the overwrite: it reads the new value, which
   * mix must give back. (In a class of its own: a helper restores what any of its callers needs.)
   */
  static final String AFTER = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class After {
        static void mix(double[] a, double c) {
          for (int i = 1; i < a.length; i++) {
            a[i] = a[i] + c * a[i - 1];
          }
        }

        // the read comes after the overwrite in the loop: it reads the new value, which the
        // second mix must give back
        @Differentiable(wrt = "x")
        static double readAfterTheOverwrite(double[] x) {
          int n = x.length;
          double[] re = x.clone();
          double power = 0;
          for (int k = 0; k < n; k++) {
            re[k] *= 2.0 + k;
            power += re[k] * re[k];
          }
          mix(re, -0.25);
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += Math.tanh(re[i]);
          }
          return s + power;
        }

        // an entry that overwrites a caller's array each step, called by no other method: its
        // gradient method copies the final contents back itself, so nothing is recorded
        @Differentiable(wrt = "x")
        static double accumulate(double[] x, double[] acc, int steps) {
          double r = 0;
          for (int s = 0; s < steps; s++) {
            for (int i = 0; i < x.length; i++) {
              acc[i] = 0.9 * acc[i] + Math.sin(x[i] * (s + 1));
            }
            r += acc[s % acc.length];
          }
          return r;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static Class<?> afterUser;
  static Class<?> afterGrad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Needs", SOURCE);
    user = c.load("demo.Needs");
    grad = c.load("demo.NeedsGrad");
    Compiled after = Compiled.compile("demo.After", AFTER);
    afterUser = after.load("demo.After");
    afterGrad = after.load("demo.AfterGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("workBuffer", r -> new Object[] {vector(r, 6, -1, 1), 4}, 0),
        of("restoredInTheLoop", r -> new Object[] {vector(r, 7, -1, 1)}, 0),
        of("squareThenTanh", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("twoPasses", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("springs", r -> new Object[] {0.5 + r.nextDouble(), vector(r, 5, -1, 1), 3}, 0, 1),
        of("accumulate", r -> new Object[] {vector(r, 4, -1, 1), vector(r, 4, -1, 1), 5}, 0),
        of("accumulateTwice", r -> new Object[] {vector(r, 4, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void readAfterTheOverwriteMatchesFiniteDifferences() {
    of("readAfterTheOverwrite", r -> new Object[] {vector(r, 7, -1, 1)}, 0).check(afterUser, afterGrad);
  }

  /**
   * n = 100, 10 steps: y before each step's update (8 x 100 x 10), y handed to the reverse sweep
   * (8 + 16 + 800) and k's length (4); k's contents before each step were recorded too (8,000
   * more) while step was taken to read them.
   */
  @Test
  void aWorkBufferFilledTwoCallsDownIsNotRecorded() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("workBuffer", double[].class, int.class, double[].class, RadContext.class)
        .invoke(null, new double[100], 10, new double[100], ctx);
    assertEquals(8_000 + 8 + 16 + 800 + 4, ctx.peakTapeBytes());
  }

  /**
   * n = 100: re before the loop's overwrites (800) and re handed to the reverse sweep (8 + 16 +
   * 800); nothing for either mix (re[1..n), 792 more each, before). With the read after the
   * overwrite, the second mix gives re[1..n) back (792) and the loop records nothing.
   */
  @Test
  void aLoopThatRestoresBeforeItsReadsNeedsNothingBack() throws Exception {
    assertEquals(800 + 8 + 16 + 800, tape(grad, "restoredInTheLoop"));
    assertEquals(792 + 8 + 16 + 800, tape(afterGrad, "readAfterTheOverwrite"));
  }

  /**
   * n = 100: h before the squaring (800) and h handed to the reverse sweep (8 + 16 + 800); the
   * tanh pass recorded h again (800 more) while the squaring's reverse was taken to read it.
   */
  @Test
  void readsAfterTheirOwnRestoresAskNothingOfLaterOverwrites() throws Exception {
    assertEquals(800 + 8 + 16 + 800, tape(grad, "squareThenTanh"));
    assertEquals(800 + 8 + 16 + 800, tape(grad, "twoPasses"));
  }

  /**
   * n = 10, 5 steps: p before each step's update (8 x 10 x 5), and p and f handed to the reverse
   * sweep (each a reference, 16 + 10 x 8 for the matrix, 16 + 8 per row); the rows of f were
   * recorded at every spring (2 doubles a call, 720 bytes) while a row argument was taken as
   * needed back.
   */
  @Test
  void rowsPassedToAHelperAreNeededOnlyAsTheirMatrixIs() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("springs", double.class, double[].class, int.class, double[].class, double[].class,
        RadContext.class).invoke(null, 1.0, new double[10], 5, new double[1], new double[10], ctx);
    assertEquals(400 + 2 * (8 + 16 + 80 + 10 * 24), ctx.peakTapeBytes());
  }

  /**
   * accumulate at the top level records nothing (n doubles per step before, 8,000 bytes at n =
   * 100, 10 steps) and leaves acc as the original does. In Needs, where accumulateTwice reads the
   * buffer's earlier contents after calling it, accumulate gives acc back at every call (one
   * differentiated copy serves all callers), also at the top level.
   */
  @Test
  void anEntryWritingACallersArrayRecordsNothingToGiveItBack() throws Exception {
    double[] x = new double[100];
    java.util.Arrays.setAll(x, i -> Math.sin(i));
    double[] acc = new double[100];
    double[] expected = acc.clone();
    java.lang.reflect.Method original = afterUser.getDeclaredMethod("accumulate", double[].class, double[].class, int.class);
    original.setAccessible(true);
    original.invoke(null, x, expected, 10);
    RadContext ctx = RadContext.exact();
    afterGrad.getDeclaredMethod("accumulate", double[].class, double[].class, int.class, double[].class, RadContext.class)
        .invoke(null, x, acc, 10, new double[100], ctx);
    assertEquals(0, ctx.peakTapeBytes());
    org.junit.jupiter.api.Assertions.assertArrayEquals(expected, acc);
    RadContext shared = RadContext.exact();
    grad.getDeclaredMethod("accumulate", double[].class, double[].class, int.class, double[].class, RadContext.class)
        .invoke(null, x, new double[100], 10, new double[100], shared);
    assertEquals(8_000, shared.peakTapeBytes());
  }

  static long tape(Class<?> grad, String name) throws Exception {
    RadContext ctx = RadContext.exact();
    double[] x = new double[100];
    java.util.Arrays.setAll(x, i -> Math.sin(i));
    grad.getDeclaredMethod(name, double[].class, double[].class, RadContext.class).invoke(null, x, new double[100], ctx);
    return ctx.peakTapeBytes();
  }
}
