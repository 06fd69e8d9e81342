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
 * Issue 14 (found while testing arrays that may be one array): {@code double[] b = which > 0 ? a :
 * a.clone();} lost the adjoint of the copy (d/da of {@code a[i] * b[i] * b[i]} was {@code b[i]^2}
 * instead of {@code 3 a[i]^2} when the copy was taken): a {@code ?:} of arrays with a new array in a
 * branch is now an if/else whose branches are plain assignments, whose copies' adjoints flow back.
 */
class ConditionalCloneTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Cond {
        @Differentiable(wrt = {"a"})
        public static double copyOrNot(double[] a, int which) {
          double[] b = which > 0 ? a : a.clone();
          double s = 0;
          for (int i = 0; i < a.length; i++) s += a[i] * b[i] * b[i];
          return s;
        }

        @Differentiable(wrt = {"a", "x"})
        public static double reassigned(double[] a, double x, int which) {
          double[] b = a;
          b = which > 0 ? new double[] {x, x * x} : a.clone();
          b[0] = b[0] * x;
          return b[0] * a[1] + b[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Cond", SOURCE);
    user = c.load("demo.Cond");
    grad = c.load("demo.CondGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("copyOrNot", r -> new Object[] {vector(r, 4, -1, 1), r.nextInt(0, 2)}, 0).points(8),
        of("reassigned", r -> new Object[] {vector(r, 2, -1, 1), r.nextDouble(-1, 1), r.nextInt(0, 2)}, 0, 1).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
