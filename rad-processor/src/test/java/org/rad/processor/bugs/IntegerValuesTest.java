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
 * Found by user-style test programs. (1) An increment of an int[] element by an element of the same
 * array through another variable ({@code int[] d = c; c[0] += d[0];}) was undone in the reverse
 * sweep as {@code c[0] -= d[0]}, which gives 0, not the old value, where d is c: the later indices
 * read 0 and the gradient went to the wrong elements. Steps and indices that read an array element
 * are now recorded, not undone. (2) A Math call on ints that a statement's reverse needed twice
 * ({@code x[Math.abs(k)]}) was shared in a double temporary: javac rejected the generated index,
 * and {@code Math.abs(k) / 2} became a double division. Only double values are shared now.
 */
class IntegerValuesTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Ints {
        @Differentiable(wrt = "x")
        static double aliasedCounts(double[] x, int[] c) {
          c[0] = 1;
          int[] d = c;
          c[0] += d[0];
          double p = x[c[0]];
          c[0] += d[0];
          return p * x[c[0]];
        }

        @Differentiable(wrt = "x")
        static double intIndex(double[] x, int k) {
          double r = x[0];
          r *= x[Math.abs(k)];
          r *= x[1] * (Math.abs(k) / 2) + x[Math.max(k, 0)] * x[Math.min(k + 2, 1)];
          return r;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Ints", SOURCE);
    user = c.load("demo.Ints");
    grad = c.load("demo.IntsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("aliasedCounts", r -> new Object[] {vector(r, 5, -1, 1), new int[] {0}}, 0),
        of("intIndex", r -> new Object[] {vector(r, 4, -1, 1), r.nextInt(-3, 4)}, 0).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
