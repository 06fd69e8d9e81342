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
 * Found by a user-style test: a method of a nested class that reads a constant of the class it is
 * nested in ({@code SCALE}, or {@code Outer.SCALE}) was rejected ("[RadUntyped] cannot type
 * SCALE", "the member access Outer.SCALE is not supported"), though the README lists static final
 * constants. Such a compile-time constant is now read as its value, as Java inlines it.
 */
class EnclosingConstantsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Outer extends Base {
        static final double SCALE = 2.0;
        private static final int TERMS = 3;

        public static class Inner {
          static final double SCALE = 0.5; // hides Outer's, as in Java

          @Differentiable(wrt = "x")
          public static double f(double[] x) {
            double s = 0;
            for (int k = 0; k < TERMS; k++) {
              s += SCALE * x[k] * x[k] + Outer.SCALE * x[k] + OFFSET;
            }
            return s * s;
          }
        }
      }

      class Base {
        static final double OFFSET = 0.25;
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Outer", SOURCE);
    user = c.load("demo.Outer$Inner");
    grad = c.load("demo.Outer_InnerGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(of("f", r -> new Object[] {vector(r, 3, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
