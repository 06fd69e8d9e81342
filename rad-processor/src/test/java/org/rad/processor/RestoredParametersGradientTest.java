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
 * A helper gives an array parameter back as it was on entry only where a caller needs it
 * (transform.RestoredParameters): an output the caller has just allocated is written without
 * records, through two levels of helpers; a caller whose earlier statements' reverse reads the
 * argument keeps the helper's records, and so does a helper shared by both kinds of caller.
 */
class RestoredParametersGradientTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Outputs {
        static void cross(double[] a, double[] b, double[] out) {
          out[0] = a[1] * b[2] - a[2] * b[1];
          out[1] = a[2] * b[0] - a[0] * b[2];
          out[2] = a[0] * b[1] - a[1] * b[0];
        }

        @Differentiable(wrt = {"a", "b"})
        static double freshOutput(double[] a, double[] b) {
          double[] c = new double[3];
          cross(a, b, c);
          return Math.sin(c[0]) + c[1] * c[2];
        }

        // its own reverse reads out after cross: cross's records are still not needed
        static void crossScaled(double[] a, double[] b, double[] out) {
          cross(a, b, out);
          out[0] = out[0] * out[1];
        }

        @Differentiable(wrt = {"a", "b"})
        static double twoLevels(double[] a, double[] b) {
          double[] c = new double[3];
          crossScaled(a, b, c);
          return Math.exp(c[0]) * c[2];
        }

        static void set(double[] v, double x) {
          v[0] = x;
          v[1] = 2 * x;
        }

        // q's partials read t from before the call: set must give t back
        @Differentiable(wrt = "a")
        static double readBeforeTheCall(double[] a) {
          double[] t = new double[2];
          t[0] = a[0];
          t[1] = a[1];
          double q = t[0] * t[1];
          set(t, a[2] * a[2]);
          return q + t[0] * t[1];
        }

        // the same in a loop: the reverse of the next iteration's product reads t from before
        // this iteration's call
        @Differentiable(wrt = "a")
        static double inALoop(double[] a) {
          double[] t = new double[2];
          double s = 0;
          for (int k = 0; k < a.length; k++) {
            s += Math.sin(t[0] + t[1]);
            set(t, a[k]);
          }
          return s + t[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Outputs", SOURCE);
    user = c.load("demo.Outputs");
    grad = c.load("demo.OutputsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("freshOutput", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1)}, 0, 1),
        of("twoLevels", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1)}, 0, 1),
        of("readBeforeTheCall", r -> new Object[] {vector(r, 3, -1, 1)}, 0),
        of("inALoop", r -> new Object[] {vector(r, 5, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * freshOutput's tape: nothing for cross's writes into c (3 doubles before). (Its entry runs both
   * sweeps in its own body, having no loop, so c reaches the reverse sweep in a local, not on the
   * tape: 48 bytes when it was handed over there.) twoLevels holds only the old out[0] that
   * crossScaled's own reverse reads.
   */
  @Test
  void writesIntoAFreshOutputRecordNothing() throws Exception {
    assertEquals(0, tape("freshOutput"));
    assertEquals(8, tape("twoLevels"));
  }

  static long tape(String name) throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod(name, double[].class, double[].class, double[].class, double[].class, RadContext.class)
        .invoke(null, new double[] {0.1, 0.2, 0.3}, new double[] {0.4, 0.5, 0.6}, new double[3], new double[3], ctx);
    return ctx.peakTapeBytes();
  }
}
