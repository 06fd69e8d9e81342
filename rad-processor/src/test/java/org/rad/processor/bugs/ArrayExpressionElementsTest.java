package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by testing user-style programs: an element taken straight from an array expression that
 * is not a variable, an element or a field ({@code (flip ? a : b)[0]}, {@code x.clone()[0]},
 * {@code m[0].clone()[0]}, {@code new double[] {x * x, 1}[0]}) got a derivative of 0 with no
 * error (the reverse sweep found no adjoint for such an array), and writing into one ({@code (flip
 * ? a : b)[0] = v}, {@code pick(a, b, flip)[0] = v}, {@code a.clone()[0] = v}) crashed the
 * processor ({@code [RadInternal]} ClassCastException). The array now goes into a local first, also
 * inside a branch of {@code ?:}, on the right of {@code &&}, and in a loop condition, where it is
 * evaluated only when Java evaluates it.
 */
class ArrayExpressionElementsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Elements {
        @Differentiable(wrt = {"a", "b"})
        public static double conditionalRead(double[] a, double[] b, int flip) {
          return (flip > 0 ? a : b)[0] * (flip > 0 ? b : a)[1];
        }

        @Differentiable(wrt = {"x"})
        public static double cloneRead(double[] x) {
          return x.clone()[0] * 2 + x.clone()[1] * x[1];
        }

        @Differentiable(wrt = {"m"})
        public static double rowsRead(double[][] m, int flip) {
          return m[0].clone()[1] * (flip > 0 ? m[0] : m[1])[0] + (flip > 0 ? m : m)[1][1];
        }

        @Differentiable(wrt = {"x"})
        public static double initializerRead(double x, int k) {
          return new double[] {x * x, Math.sin(x), 1}[k] * 3;
        }

        @Differentiable(wrt = {"a", "b"})
        public static double conditionalWrite(double[] a, double[] b, int flip) {
          (flip > 0 ? a : b)[0] = a[1] * b[1];
          (flip > 0 ? b : a)[2] += a[0] * b[0];
          return a[0] + b[0] + a[2] * b[2];
        }

        static double[] pick(double[] a, double[] b, int flip) {
          return flip > 0 ? a : b;
        }

        @Differentiable(wrt = {"a", "b"})
        public static double callWrite(double[] a, double[] b, int flip) {
          pick(a, b, flip)[0] = a[1] * b[1];
          a.clone()[1] = b[2];
          return a[0] * a[1] + b[0] * b[1];
        }

        @Differentiable(wrt = {"a", "b"})
        public static double onlyWhenEvaluated(double[] a, double[] b, int flip, int n) {
          double s = flip > 0 ? a.clone()[0] * b[0] : (flip < 0 ? b : a)[1];
          if (s > -10 && (flip > 0 ? a : b)[2] > -10) {
            s += (flip > 0 ? b : a)[2] * a[2];
          }
          int k = 0;
          while (k < n && (flip > 0 ? a : b)[k] > -10) {
            s += (flip > 0 ? a : b)[k] * b[k];
            k++;
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Elements", SOURCE);
    user = c.load("demo.Elements");
    grad = c.load("demo.ElementsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("conditionalRead", r -> new Object[] {vector(r, 2, -1, 1), vector(r, 2, -1, 1), r.nextInt(0, 2)}, 0, 1).points(8),
        of("cloneRead", r -> new Object[] {vector(r, 2, -1, 1)}, 0).points(4),
        of("rowsRead", r -> new Object[] {matrix(r, 2, 2, -1, 1), r.nextInt(0, 2)}, 0).points(8),
        of("initializerRead", r -> new Object[] {r.nextDouble(-1, 1), r.nextInt(0, 3)}, 0).points(8),
        of("conditionalWrite", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1), r.nextInt(0, 2)}, 0, 1).points(8),
        of("callWrite", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1), r.nextInt(0, 2)}, 0, 1).points(8),
        of("onlyWhenEvaluated", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1), r.nextInt(-1, 2),
            r.nextInt(0, 4)}, 0, 1).points(12));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
