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
 * Found merging issue 14's aliasing work with the undone integer counters (issue 11): an inner loop
 * that is not counted ({@code i + 1 < a.length}), run again by an outer loop, undoes its
 * {@code i++} in the reverse sweep from the index's value at the loop's end; the next run's
 * {@code int i = 0} overwrote that value without recording it, so the reverse of the outer loop's
 * second-to-last iteration started from i = 0 and indexed a[-1].
 */
class RerunLoopIndexUndoneTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Rerun {
        @Differentiable(wrt = {"a"})
        public static double f(double[] a, int steps) {
          double s = 0.5;
          for (int k = 0; k < steps; k++) {
            for (int i = 0; i + 1 < a.length; i++) {
              s += a[i] * a[i + 1] * s;
            }
          }
          return s;
        }

        @Differentiable(wrt = {"a"})
        public static double stride(double[] a, int steps) {
          double s = 0.5;
          for (int k = 0; k < steps; k++) {
            for (int i = k % 2; i + 1 < a.length; i += 2) {
              s += Math.sin(a[i] * s) * a[i + 1];
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
    Compiled c = Compiled.compile("demo.Rerun", SOURCE);
    user = c.load("demo.Rerun");
    grad = c.load("demo.RerunGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("f", r -> new Object[] {vector(r, 4, -0.5, 0.5), r.nextInt(1, 5)}, 0),
        of("stride", r -> new Object[] {vector(r, 5, -0.5, 0.5), r.nextInt(1, 5)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
