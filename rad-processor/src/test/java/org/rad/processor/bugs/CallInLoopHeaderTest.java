package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by the differential fuzzer (seed 1, programs 133 and 488; seed 20261205, program 21): a
 * call that writes into an array, or carries a derivative, in a loop's condition or update was
 * rejected. Such a loop is now a {@code while (true)} with the condition tested at the top of its
 * body and the update at its end, so the calls run exactly when Java runs them; a {@code continue}
 * still reaches the update and a {@code break} still leaves the loop.
 */
class CallInLoopHeaderTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Header {
        static double bump(double[] v, double x) {
          v[0] += 0.25 * x;
          return v[0];
        }

        static int next(double[] v, int i) {
          v[1] = v[1] * 0.9;
          return i + 1;
        }

        @Differentiable(wrt = {"x", "v"})
        static double condition(double x, double[] v) {
          double s = 0;
          int k = 0;
          while (bump(v, x) < 2 && k < 6) {
            s += v[0] * v[1] * x;
            k++;
          }
          return s + v[0];
        }

        @Differentiable(wrt = {"x", "v"})
        static double update(double x, double[] v) {
          double s = 0;
          for (int i = 0; i < v.length; i = next(v, i)) {
            if (v[i] > 0.5) {
              continue;
            }
            s += Math.sin(v[i] * x) * v[1];
            if (s > 3) {
              break;
            }
          }
          return s;
        }

        @Differentiable(wrt = {"x", "v"})
        static double both(double x, double[] v) {
          double s = 0;
          for (int i = 0; bump(v, x * 0.1) < 3 && i < 5; i = next(v, i)) {
            s += v[0] * x + v[1];
          }
          return s * v[1];
        }

        static int advance(double[] src, double[] dst, int i) {
          dst[i] = src[i] * 2;
          return i + 1;
        }

        /** The update writes into an array that may be the one it reads (here it is). */
        @Differentiable(wrt = {"x", "v"})
        static double aliasedUpdate(double x, double[] v) {
          double[] b = v;
          double s = 0;
          for (int i = 0; i < 3; i = advance(v, b, i)) {
            v[i + 1] += x * v[i];
            s += v[i] * v[i];
          }
          return s + v[0];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Header", SOURCE);
    user = c.load("bugs.Header");
    grad = c.load("bugs.HeaderGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of("condition", "update", "both", "aliasedUpdate")
        .map(m -> of(m, r -> new Object[] {r.nextDouble(0.2, 1), vector(r, 4, -1, 1)}, 0, 1).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valueGradientAndArraysMatchTheOriginal(GradientCase c) {
    c.check(user, grad);
  }
}
