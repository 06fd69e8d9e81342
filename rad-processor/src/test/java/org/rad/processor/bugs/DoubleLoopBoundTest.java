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
 * Found by a user-style round: a counted loop whose bound is a double ({@code i < v.length /
 * 2.0}, {@code i < cnt} with a double {@code cnt}, {@code j <= frac * 3}) was taken as counted,
 * and the reverse sweep started from {@code bound - 1}: javac rejected the generated code
 * ("possible lossy conversion from double to int"), and a cast would have been wrong too
 * ({@code i < 2.5} runs to 2, not to 1). Such a loop records its trip count now, as a loop with
 * a {@code break} does.
 */
class DoubleLoopBoundTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Bounds {
        @Differentiable(wrt = "v")
        static double half(double[] v) {
          double s = 0;
          for (int i = 0; i < v.length / 2.0; i++) s += v[i] * v[i];
          return s;
        }

        @Differentiable(wrt = "v")
        static double count(double[] v, double cnt) {
          double s = 0;
          for (int i = 0; i < cnt; i++) s += v[i] * v[i] * v[i];
          return s;
        }

        @Differentiable(wrt = "v")
        static double downTo(double[] v, double frac) {
          double s = 1;
          for (int j = v.length - 1; j >= frac * 3; j--) s = s * 0.5 + Math.sin(v[j]) * s;
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Bounds", SOURCE);
    user = c.load("bugs.Bounds");
    grad = c.load("bugs.BoundsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("half", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("count", r -> new Object[] {vector(r, 5, -1, 1), 2.5}, 0),
        of("downTo", r -> new Object[] {vector(r, 6, -1, 1), 0.5}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void theLoopRunsToTheLastIndexItReached() {
    // i < 2.5 runs i = 0, 1, 2: d/dv = 3 v^2 for those, 0 for the others
    of("count", r -> null, 0).harness(user, grad).checkClosedForm(new Object[] {new double[] {1, 2, 3, 4, 5}, 2.5},
        new double[] {3, 12, 27, 0, 0}, 1e-12);
  }
}
