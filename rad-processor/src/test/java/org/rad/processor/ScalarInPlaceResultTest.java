package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * A scalar overwritten in place by a function whose derivative comes from its result ({@code norm
 * = Math.sqrt(norm)}, {@code s = Math.exp(s - m)}) takes the partial from the new value, as an
 * element in place does: the old value is not recorded. Found by a user-style round (a power
 * iteration's norm: 16 bytes against 8 for {@code nrm = Math.sqrt(norm)}).
 */
class ScalarInPlaceResultTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Norms {
        @Differentiable(wrt = "y")
        static double normalized(double[] y) {
          double norm = 0;
          for (int i = 0; i < y.length; i++) norm += y[i] * y[i];
          norm = Math.sqrt(norm);
          double r = 0;
          for (int i = 0; i < y.length; i++) r += Math.sin(y[i] / norm);
          return r;
        }

        @Differentiable(wrt = "y")
        static double renamed(double[] y) {
          double norm = 0;
          for (int i = 0; i < y.length; i++) norm += y[i] * y[i];
          double nrm = Math.sqrt(norm);
          double r = 0;
          for (int i = 0; i < y.length; i++) r += Math.sin(y[i] / nrm);
          return r;
        }

        // in a loop, with an affine argument: s = exp(s - 1) each step
        @Differentiable(wrt = "x")
        static double steps(double x, int n) {
          double s = x;
          double t = 0;
          for (int k = 0; k < n; k++) {
            s = Math.exp(0.5 * s - 1);
            t += s * s;
          }
          return t;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Norms", SOURCE);
    user = c.load("demo.Norms");
    grad = c.load("demo.NormsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("normalized", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("renamed", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("steps", r -> new Object[] {r.nextDouble(-1, 1), 6}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void theOldValueIsNotRecorded() throws Exception {
    Method a = grad.getDeclaredMethod("normalized", double[].class, double[].class, RadContext.class);
    Method b = grad.getDeclaredMethod("renamed", double[].class, double[].class, RadContext.class);
    long[] tapes = new long[2];
    for (int k = 0; k < 2; k++) {
      RadContext ctx = RadContext.exact();
      (k == 0 ? a : b).invoke(null, new double[] {0.3, -0.4, 0.5}, new double[3], ctx);
      tapes[k] = ctx.peakTapeBytes();
    }
    assertEquals(tapes[1], tapes[0]); // 8 each (16 in place before)
  }
}
