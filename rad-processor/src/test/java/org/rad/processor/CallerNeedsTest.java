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
        of("restoredInTheLoop", r -> new Object[] {vector(r, 7, -1, 1)}, 0));
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

  static long tape(Class<?> grad, String name) throws Exception {
    RadContext ctx = RadContext.exact();
    double[] x = new double[100];
    java.util.Arrays.setAll(x, i -> Math.sin(i));
    grad.getDeclaredMethod(name, double[].class, double[].class, RadContext.class).invoke(null, x, new double[100], ctx);
    return ctx.peakTapeBytes();
  }
}
