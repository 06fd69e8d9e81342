package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * The caller overwrites an element of an array a helper returned ({@code y = squares(a); r =
 * y[0]; y[1] = 5.0;}), and the helper's reverse sweep, which reads its result through the reference
 * it kept ({@code out[0] = out[0] * out[1]}), read the new {@code out[1]}: d/da0 was 20 instead of
 * 36. The caller's record planner now counts the returned array's contents as read by the call's
 * reverse, so overwrites after the call are recorded and restored before it.
 */
class ReturnedArrayOverwrittenByCallerTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Returned {
        static double[] squares(double[] a) {
          double[] out = new double[a.length];
          for (int i = 0; i < a.length; i++) out[i] = a[i] * a[i];
          out[0] = out[0] * out[1];
          return out;
        }

        // the bug report, reconstructed
        @Differentiable(wrt = {"a"})
        public static double f(double[] a) {
          double[] y = squares(a);
          double r = y[0];
          y[1] = 5.0;
          return r;
        }

        // the result also used after the overwrite, and r scaled
        @Differentiable(wrt = {"a"})
        public static double usedTwice(double[] a) {
          double[] y = squares(a);
          double r = y[0];
          y[1] = y[1] * a[1];
          return r * y[1] + y[2];
        }

        // overwritten through another variable that refers to the returned array
        @Differentiable(wrt = {"a"})
        public static double throughAlias(double[] a) {
          double[] y = squares(a);
          double[] z = y;
          double r = y[0] * a[2];
          z[1] = 5.0;
          return r + z[1];
        }

        // overwritten by a helper that runs as it is
        static void clear(double[] v) {
          for (int i = 0; i < v.length; i++) v[i] = 0;
        }

        @Differentiable(wrt = {"a"})
        public static double clearedByHelper(double[] a) {
          double[] y = squares(a);
          double r = y[0] + y[2];
          clear(y);
          return r;
        }

        // in a loop with an early exit, each iteration overwriting the returned array
        @Differentiable(wrt = {"a"})
        public static double loop(double[] a) {
          double s = 0;
          for (int k = 0; k < 3; k++) {
            double[] y = squares(a);
            s += y[0];
            y[1] = s;
            if (s > 4) break;
            a[2] = a[2] + y[1] * 0.1;
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Returned", SOURCE);
    user = c.load("demo.Returned");
    grad = c.load("demo.ReturnedGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("f", r -> new Object[] {vector(r, 3, -2, 2)}, 0),
        of("usedTwice", r -> new Object[] {vector(r, 3, -2, 2)}, 0),
        of("throughAlias", r -> new Object[] {vector(r, 3, -2, 2)}, 0),
        of("clearedByHelper", r -> new Object[] {vector(r, 3, -2, 2)}, 0),
        of("loop", r -> new Object[] {vector(r, 3, -1.5, 1.5)}, 0).points(10).tolerance(1e-6, 1e-5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void bugReport() {
    // r = a0^2 a1^2: d/da = (2 a0 a1^2, 2 a0^2 a1) = (36, 24) at a = {2, 3}
    of("f", r -> null, 0).harness(user, grad)
        .checkClosedForm(new Object[] {new double[] {2, 3}}, new double[] {36, 24}, 1e-15);
  }
}
