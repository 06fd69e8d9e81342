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
 * Found by the differential fuzzer (seed 1, programs 138 and 245): Java evaluates operands left
 * to right, so in {@code v[i] * Math.atan(s0(v))} the element is read before {@code s0} writes
 * into {@code v}; lifting the call into a statement before the expression read the element after
 * the call, and the primal value itself was wrong. The same holds for the index of an assigned
 * element, for the old value of a compound assignment ({@code v[0] += s0(v)}), and for an
 * argument before another argument that calls (seed 7, program 428:
 * {@code s0(v[2], v, s0(w[2], v, 1))}).
 */
class OperandEvaluatedBeforeWritingCallTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Order {
        static double s0(double[] v) {
          v[0] += 0.5;
          return v[3];
        }

        @Differentiable(wrt = {"x", "v"})
        static double operand(double x, double[] v) {
          for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * Math.atan(s0(v)) + x;
          }
          return v[0] - x * v[1];
        }

        @Differentiable(wrt = {"x", "v"})
        static double compound(double x, double[] v) {
          v[0] += s0(v) * x;
          v[0] *= s0(v);
          return v[0] + v[3] * x;
        }

        @Differentiable(wrt = {"x", "v"})
        static double nested(double x, double[] v) {
          double r = x * (v[0] * v[0] + s0(v)) + v[0] * Math.sin(x) * s0(v);
          return r + v[0];
        }

        @Differentiable(wrt = {"x", "v"})
        static double index(double x, double[] v) {
          int[] at = {0};
          v[(int) (v[1] * 0) + at[0]] = x * s0(v);
          return v[0] * v[0];
        }

        static double set(double x, double[] v, double y) {
          for (int i = 0; i < v.length; i++) {
            v[i] = 0.5 * v[i] + y;
          }
          return x;
        }

        @Differentiable(wrt = {"x", "v"})
        static double argument(double x, double[] v) {
          double d = set(v[2] * x, v, Math.pow(set(v[1], v, v[2]), 2));
          return Math.tanh(set(d + v[0], v, 1.5 * d)) + v[3];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.Order", SOURCE);
    user = c.load("bugs.Order");
    grad = c.load("bugs.OrderGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of("operand", "compound", "nested", "index", "argument")
        .map(m -> of(m, r -> new Object[] {r.nextDouble(-1, 1), vector(r, 4, -1, 1)}, 0, 1));
  }

  /** The harness checks the value against the original's first, then the gradient. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void valueAndGradientMatchTheOriginal(GradientCase c) {
    c.check(user, grad);
  }
}
