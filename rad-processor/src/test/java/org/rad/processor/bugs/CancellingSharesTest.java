package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * An expression that reads a variable twice gives it two shares of its adjoint, and their sum is
 * the partial derivative. They were added to the variable's adjoint one at a time: with a large
 * seed and shares that cancel ({@code x - x}), {@code xBar += 1e20; xBar -= 1e20} wiped out what
 * xBar already held. Fuzzer seed 2031, program 9678: a helper called 81 times grew an array's
 * adjoint to 1e38, then {@code atan(u[i + 1] * 0.8 + (x0 - x0))} zeroed d/dx0 (9.38 where central
 * differences give 12.37). The shares are summed first now ({@code xBar += adj - adj}).
 */
class CancellingSharesTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Cancel {
        // d/dx = 1 + 1e20 cos(y) (1 - 1) = 1
        @Differentiable(wrt = {"x", "y"})
        static double scalar(double x, double y) {
          double s = 1e20 * Math.sin(y + x - x);
          return s + x;
        }

        // the same through an element: d/dx = 2, d/dv = 1e20 cos(v[0] + v[1]) for both elements
        @Differentiable(wrt = {"x", "v"})
        static double element(double x, double[] v) {
          double[] w = new double[1];
          w[0] = 1e20 * Math.sin(v[0] + x * v[1] + v[1] - x * v[1]);
          return w[0] + 2 * x;
        }

        // the cancelling shares in a branch of a conditional
        @Differentiable(wrt = {"x", "y"})
        static double branch(double x, double y) {
          double s = y > 0 ? 1e20 * Math.cos(x * y - x * y + y) : y;
          return s + 3 * x;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Cancel", SOURCE);
    user = c.load("demo.Cancel");
    grad = c.load("demo.CancelGrad");
  }

  @Test
  void scalar() {
    double y = 0.3;
    of("scalar", r -> null, 0, 1).harness(user, grad)
        .checkClosedForm(new Object[] {0.7, y}, new double[] {1, 1e20 * Math.cos(y)}, 1e-12);
  }

  @Test
  void element() {
    double[] v = {0.2, -0.4};
    double dv = 1e20 * Math.cos(v[0] + v[1]);
    of("element", r -> null, 0, 1).harness(user, grad)
        .checkClosedForm(new Object[] {0.7, v}, new double[] {2, dv, dv}, 1e-12);
  }

  @Test
  void branch() {
    double y = 0.3;
    of("branch", r -> null, 0, 1).harness(user, grad)
        .checkClosedForm(new Object[] {0.7, y}, new double[] {3, -1e20 * Math.sin(y)}, 1e-12);
  }
}
