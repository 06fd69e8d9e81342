package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code java.util.Arrays.fill(a, v)} is the loop it stands for: forces zeroed each time step,
 * an array filled with a value that carries derivatives, a row of a matrix filled, an int array,
 * a static import, and a class method named {@code fill}, which takes precedence as in Java.
 */
class ArraysFillTest {
  static final String SOURCE = """
      package demo;
      import static java.util.Arrays.fill;
      import java.util.Arrays;
      import org.rad.annotations.Differentiable;
      public class Fills {
        // the forces are zeroed each step and read linearly: their old values are not needed and not recorded
        @Differentiable(wrt = "k")
        public static double springs(double[] k, double[] x0, int steps) {
          int n = x0.length;
          double[] x = x0.clone();
          double[] f = new double[n];
          for (int t = 0; t < steps; t++) {
            Arrays.fill(f, 0.0);
            for (int s = 0; s + 1 < n; s++) {
              double stretch = x[s + 1] - x[s] - 1;
              f[s] += k[s] * stretch;
              f[s + 1] -= k[s] * stretch;
            }
            for (int i = 0; i < n; i++) x[i] += 0.1 * f[i];
          }
          double e = 0;
          for (int i = 0; i < n; i++) e += x[i] * x[i];
          return e;
        }

        // the filled value carries derivatives, is computed once, and the fill is undone in reverse
        @Differentiable
        public static double activeValue(double[] a, double c) {
          double s = 0;
          for (int r = 0; r < 3; r++) {
            java.util.Arrays.fill(a, Math.sin(c * r) + a[0]);
            for (int i = 0; i < a.length; i++) s += a[i] * a[i] * (i + 1);
          }
          return s;
        }

        // a row of a matrix, through a static import; an int array too
        @Differentiable(wrt = "m")
        public static double row(double[][] m, int which) {
          int[] counts = new int[3];
          fill(counts, 2);
          fill(m[which], m[0][1] * 3);
          double s = 0;
          for (int i = 0; i < m.length; i++)
            for (int j = 0; j < m[i].length; j++) s += m[i][j] * m[i][j] * counts[j % 3];
          return s;
        }
      }
      """;

  static final String SHADOWED = """
      package demo;
      import static java.util.Arrays.fill;
      import org.rad.annotations.Differentiable;
      public class OwnFill {
        static void fill(double[] a, double v) {
          for (int i = 0; i < a.length; i++) a[i] = v * (i + 1);
        }

        @Differentiable
        public static double f(double[] a, double v) {
          fill(a, v);
          return a[0] + a[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Fills", SOURCE);
    user = c.load("demo.Fills");
    grad = c.load("demo.FillsGrad");
    generated = c.generatedSource("demo.FillsGrad");
  }

  @Test
  void theZeroedForcesAreNotRecorded() {
    String forward = generated.substring(generated.indexOf("static double springsForward"),
        generated.indexOf("static void springsReverse"));
    assertTrue(forward.contains("f[fIndex] = 0.0;"), forward);
    assertFalse(forward.matches("(?s).*pushDoubles?\\(f[,)\\[].*"), forward);
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("springs", r -> new Object[] {vector(r, 5, 0.5, 1.5), new double[] {0, 1.1, 2.3, 3.2, 4.4}, 4}, 0),
        of("activeValue", r -> new Object[] {vector(r, 4, -1, 1), r.nextDouble(0.2, 1)}, 0, 1),
        of("row", r -> new Object[] {matrix(r, 3, 4, -1, 1), 2}, 0),
        of("row", r -> new Object[] {matrix(r, 3, 4, -1, 1), 0}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void aClassMethodNamedFillTakesPrecedence() throws Exception {
    Compiled c = Compiled.compile("demo.OwnFill", SHADOWED);
    Class<?> own = c.load("demo.OwnFillGrad");
    double[] a = {5, 5};
    double[] aBar = new double[2];
    double[] vBar = new double[1];
    double value = (double) own.getMethod("f", double[].class, double.class, double[].class, double[].class)
        .invoke(null, a, 2.0, aBar, vBar);
    // the class's fill writes v * (i + 1): f = v + 2 v, df/dv = 3, and a's old values do not matter
    assertEquals(6.0, value, 0);
    assertEquals(3.0, vBar[0], 0);
    assertEquals(0.0, aBar[0], 0);
  }
}
