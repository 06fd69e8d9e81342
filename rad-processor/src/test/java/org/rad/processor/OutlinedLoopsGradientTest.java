package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inner loop nests of a reverse sweep moved into methods of their own (transform.LoopOutlining)
 * give the gradient of the code as written: a row stencil whose region hands back a scalar
 * adjoint and restores rows from the tape (the context goes along), beside a {@code while} loop
 * and a loop left by a {@code break}, in the same outer loops.
 */
class OutlinedLoopsGradientTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Nests {
        @Differentiable(wrt = {"x", "c"})
        static double relax(double[] x, double c, int steps) {
          int rows = 4;
          int n = x.length / rows;
          double[][] u = new double[rows][n];
          double[][] v = new double[rows][n];
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
              u[i][j] = x[i * n + j];
              v[i][j] = x[i * n + j];
            }
          }
          double s = 0;
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < rows - 1; i++) {
              double[] up = u[i + 1], mid = u[i], down = u[i - 1], out = v[i];
              for (int j = 1; j < n - 1; j++) {
                double p = mid[j];
                out[j] = p + 0.1 * (up[j] + down[j] + mid[j + 1] + mid[j - 1] - 4 * p) + c * p * p * 0.1;
              }
            }
            double[][] t = u;
            u = v;
            v = t;
            for (int i = 0; i < rows; i++) {
              int m = 0;
              while (m < n) {
                double y = u[i][m] * c;
                double z = Math.tanh(y) + y * y;
                s += z * 0.01 + u[i][m] * 0.5 - Math.exp(-y * y) + Math.sin(z) * u[i][m];
                m += 2;
              }
              double run = 0;
              for (int j = 0; j < n; j++) {
                double g = u[i][j] * u[i][j] + c;
                double h = Math.sqrt(g * g + 1);
                run += h * 0.3 + g / h;
                if (run > 3) {
                  break;
                }
                s += h * 0.001;
              }
              s += run;
            }
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Nests", SOURCE);
    user = c.load("demo.Nests");
    grad = c.load("demo.NestsGrad");
    generated = c.generatedSource("demo.NestsGrad");
  }

  @Test
  void theInnerLoopsAreMethodsOfTheirOwn() {
    assertTrue(generated.contains("cBar = relaxReverseLoop1("), generated);
  }

  static Stream<GradientCase> cases() {
    return Stream.of(of("relax", r -> new Object[] {vector(r, 24, -1, 1), 0.7, 3}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
