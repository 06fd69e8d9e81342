package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;
import org.rad.processor.GradientHarness;
import org.rad.runtime.RadContext;

/**
 * A helper call on the right of {@code ||} inside another call's argument ({@code g(a, x > 0 || g(a,
 * x) > 0 ? x : 0.5)}) failed javac with {@code [RadInternal]} ("calls must be mapped to generated
 * methods before printing"): the reverse sweep re-evaluated the condition with the raw call in it.
 * The call lifter now turns {@code l || f(..)} and {@code l && f(..)} with calls on the right into
 * an if that evaluates the right only when Java would, with its calls lifted like any other.
 */
class CallInShortCircuitOperandTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Short {
        static double g(double[] a, double x) {
          return a[0] * x;
        }

        // the bug report
        @Differentiable(wrt = {"a", "x"})
        public static double or(double[] a, double x) {
          return g(a, x > 0 || g(a, x) > 0 ? x : 0.5);
        }

        @Differentiable(wrt = {"a", "x"})
        public static double and(double[] a, double x) {
          return g(a, x < 0 && g(a, x) > 0.5 ? x * x : 2 * x);
        }

        // a call in a branch of ?: inside an argument
        @Differentiable(wrt = {"a", "x"})
        public static double ternary(double[] a, double x) {
          return g(a, x > 0 ? g(a, x) : 0.5 * x);
        }

        // the call on the right writes into an array: it must run only when Java runs it
        static double push(double[] a, double x) {
          a[1] = a[1] + x;
          return a[1];
        }

        @Differentiable(wrt = {"a", "x"})
        public static double writes(double[] a, double x) {
          double s = g(a, x > 0 || push(a, x) > 0 ? x : 0.5);
          return s + a[1] * a[1];
        }

        // in a loop, with an if condition holding the call
        @Differentiable(wrt = {"a", "x"})
        public static double inLoop(double[] a, double x) {
          double s = 0;
          for (int k = 0; k < 3; k++) {
            if (a[k] > 0 && push(a, x) > 1) {
              s += g(a, a[1] > 2 || g(a, s) < 0 ? s : x);
            }
          }
          return s + a[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Short", SOURCE);
    user = c.load("demo.Short");
    grad = c.load("demo.ShortGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("or", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("and", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("ternary", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("writes", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("inLoop", r -> new Object[] {vector(r, 3, -2, 2), r.nextDouble(-2, 2)}, 0, 1).points(10));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void bugReport() {
    // x > 0: g(a, x) = a0 x, gradient (x, 0, a0); x < 0 with a0 x > 0: the same
    GradientCase c = of("or", r -> null, 0, 1);
    c.harness(user, grad).checkClosedForm(new Object[] {new double[] {2, 3}, 5.0}, new double[] {5, 0, 2}, 1e-15);
    c.harness(user, grad).checkClosedForm(new Object[] {new double[] {-2, 3}, -5.0}, new double[] {-5, 0, -2}, 1e-15);
    // x < 0 with a0 x < 0: g(a, 0.5) = a0 / 2, gradient (0.5, 0, 0)
    c.harness(user, grad).checkClosedForm(new Object[] {new double[] {2, 3}, -5.0}, new double[] {0.5, 0, 0}, 1e-15);
  }

  @Test
  void rightOperandRunsOnlyWhenJavaRunsIt() {
    // writes: push(a, x) runs only for x <= 0; a1 after the generated call shows whether it ran
    GradientHarness h = of("writes", r -> null, 0, 1).harness(user, grad);
    GradientHarness.Result skipped = h.gradient(new Object[] {new double[] {1, 2}, 3.0}, RadContext.exact());
    assertEquals(1 * 3.0 + 2 * 2, skipped.value(), 0);
    assertEquals(2, ((double[]) skipped.argumentsAfter()[0])[1], 0);
    // x = -3: push makes a1 = -1, which is not > 0, so g(a, 0.5) = 0.5
    GradientHarness.Result ran = h.gradient(new Object[] {new double[] {1, 2}, -3.0}, RadContext.exact());
    assertEquals(0.5 + (-1) * (-1), ran.value(), 0);
    assertEquals(-1, ((double[]) ran.argumentsAfter()[0])[1], 0);
  }
}
