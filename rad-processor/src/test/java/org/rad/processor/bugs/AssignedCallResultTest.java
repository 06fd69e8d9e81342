package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;
import org.rad.runtime.RadContext;

/**
 * Found by a user-style round (molecular dynamics): velocity Verlet written with the force array
 * declared before the loop and assigned each step ({@code g = force(y)}) taped twice what the same
 * loop with {@code double[] g = force(y)} inside it tapes (83,256 bytes against 41,028): the
 * call's result went into a temporary first, and two variables holding the array kept every
 * step's array alive for the reverse sweep. An assignment of a call's result that the call does
 * not read now keeps the call, as a declaration does.
 */
class AssignedCallResultTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Verlet {
        static double[] force(double[] x) {
          double[] g = new double[x.length];
          for (int i = 0; i < x.length; i++) g[i] = -Math.sin(x[i]);
          return g;
        }

        @Differentiable(wrt = "x")
        public static double before(double[] x, int steps) {
          double[] y = x.clone();
          double[] g = force(y);
          for (int s = 0; s < steps; s++) {
            for (int i = 0; i < y.length; i++) y[i] += 0.1 * g[i];
            g = force(y);
          }
          double e = 0;
          for (int i = 0; i < y.length; i++) e += y[i] * y[i] + g[i];
          return e;
        }

        @Differentiable(wrt = "x")
        public static double inside(double[] x, int steps) {
          double[] y = x.clone();
          double[] last = force(y);
          for (int s = 0; s < steps; s++) {
            double[] g = s == 0 ? last : force(y);
            for (int i = 0; i < y.length; i++) y[i] += 0.1 * g[i];
          }
          last = force(y);
          double e = 0;
          for (int i = 0; i < y.length; i++) e += y[i] * y[i] + last[i];
          return e;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Verlet", SOURCE);
    user = c.load("bugs.Verlet");
    grad = c.load("bugs.VerletGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(of("before", r -> new Object[] {vector(r, 6, -1, 1), 4}, 0),
        of("inside", r -> new Object[] {vector(r, 6, -1, 1), 4}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * 50 more steps of 50 positions: y once a step (400 bytes) and the length of the force array
   * the step lets go of (4 bytes, for its adjoint's zeros), not the array.
   */
  @Test
  void theForceArraysAreNotKept() throws Exception {
    Method m = grad.getMethod("before", double[].class, int.class, double[].class, RadContext.class);
    long[] tapes = new long[2];
    for (int k = 0; k < 2; k++) {
      RadContext ctx = RadContext.exact();
      m.invoke(null, new double[50], 50 * (k + 1), new double[50], ctx);
      tapes[k] = ctx.peakTapeBytes();
    }
    assertEquals(50 * (50 * 8 + 4), tapes[1] - tapes[0]);
  }
}
