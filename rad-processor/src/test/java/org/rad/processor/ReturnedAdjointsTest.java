package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The reverse sweep of a helper with one double parameter that carries derivatives returns that
 * adjoint; a helper with two hands them back through the context, as does every helper of a class
 * with CUDA entries. Called per cell of a stencil, the returned adjoint saves a store to the
 * context's adjoint tape and a load from it.
 */
class ReturnedAdjointsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Cells {
        static double cell(double[] f, int j, double c) {
          return f[j] * c + Math.sin(f[j - 1]) * c * c;
        }

        static double two(double a, double b) {
          return a * Math.exp(b);
        }

        // c's adjoint only: i is an int, and f's adjoint goes into fBar
        @Differentiable(wrt = {"f", "c"})
        static double sweep(double[] f, double c) {
          double s = 0;
          for (int j = 1; j < f.length; j++) {
            s += cell(f, j, c * j);
            s += two(f[j], c);
          }
          return s;
        }

        // a wrt scalar of an entry method with one double parameter: the gradient method adds the
        // returned adjoint into cBar[0]
        @Differentiable(wrt = "c")
        static double single(double[] f, double c) {
          return cell(f, 1, c) * c;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Cells", SOURCE);
    user = c.load("demo.Cells");
    grad = c.load("demo.CellsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("sweep", r -> new Object[] {vector(r, 6, -1, 1), 0.7}, 0, 1),
        of("single", r -> new Object[] {vector(r, 3, -1, 1), -0.4}, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void oneScalarAdjointIsReturnedTwoGoThroughTheContext() {
    assertEquals(double.class, reverse("cellReverse").getReturnType());
    assertEquals(double.class, reverse("singleReverse").getReturnType());
    assertEquals(void.class, reverse("twoReverse").getReturnType());
  }

  static Method reverse(String name) {
    return Arrays.stream(grad.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
  }
}
