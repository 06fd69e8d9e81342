package org.rad.processor;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reverse loops whose adjoint rows carry shared elements in locals (transform.RotatedAdjoints)
 * give the gradient of the code as written: a row-reference stencil with distinct buffers, with
 * the buffers swapped each step, and with source and destination one matrix (the rows the loop
 * reads and writes are then one array at run time, and the loop runs as it was); the same written
 * through the matrix ({@code src[i][j + 1]}), whose rows the rotated loop reads into locals.
 */
class RotatedAdjointsGradientTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Rows {
        static void smooth(double[][] src, double[][] dst, double r) {
          int n = src[0].length;
          for (int i = 1; i < src.length - 1; i++) {
            double[] up = src[i + 1], mid = src[i], down = src[i - 1], out = dst[i];
            for (int j = 1; j < n - 1; j++) {
              double p = mid[j];
              out[j] = p + r * (up[j] + down[j] + mid[j + 1] + mid[j - 1] - 4 * p) + r * p * p;
            }
          }
        }

        static void smoothIndexed(double[][] src, double[][] dst, double r) {
          int n = src[0].length;
          for (int i = 1; i < src.length - 1; i++) {
            for (int j = 1; j < n - 1; j++) {
              dst[i][j] = src[i][j] + r * (src[i + 1][j] + src[i - 1][j] + src[i][j + 1] + src[i][j - 1]
                  - 4 * src[i][j]) + r * src[i][j] * src[i][j];
            }
          }
        }

        static double[][] field(double[] x, int rows) {
          int n = x.length / rows;
          double[][] m = new double[rows][n];
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < n; j++) {
              m[i][j] = x[i * n + j];
            }
          }
          return m;
        }

        static double energy(double[][] m) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
              s += m[i][j] * m[i][j] * (i + 2 * j + 1);
            }
          }
          return s;
        }

        @Differentiable(wrt = {"x", "r"})
        static double swapped(double[] x, double r, int steps) {
          double[][] phi = field(x, 4);
          double[][] next = field(x, 4);
          for (int k = 0; k < steps; k++) {
            smooth(phi, next, r);
            double[][] t = phi;
            phi = next;
            next = t;
          }
          return energy(phi);
        }

        @Differentiable(wrt = {"x", "r"})
        static double swappedIndexed(double[] x, double r, int steps) {
          double[][] phi = field(x, 4);
          double[][] next = field(x, 4);
          for (int k = 0; k < steps; k++) {
            smoothIndexed(phi, next, r);
            double[][] t = phi;
            phi = next;
            next = t;
          }
          return energy(phi);
        }

        @Differentiable(wrt = {"x", "r"})
        static double inPlaceIndexed(double[] x, double r, int steps) {
          double[][] phi = field(x, 4);
          for (int k = 0; k < steps; k++) {
            smoothIndexed(phi, phi, r);
          }
          return energy(phi);
        }

        @Differentiable(wrt = {"x", "r"})
        static double inPlace(double[] x, double r, int steps) {
          double[][] phi = field(x, 4);
          for (int k = 0; k < steps; k++) {
            smooth(phi, phi, r);
          }
          return energy(phi);
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Rows", SOURCE);
    user = c.load("demo.Rows");
    grad = c.load("demo.RowsGrad");
    generated = c.generatedSource("demo.RowsGrad");
  }

  static String generated;

  /** The indexed stencil's reverse loop carries its row through a local (else this test proves little). */
  @Test
  void theIndexedStencilIsRotated() {
    assertTrue(java.util.regex.Pattern.compile("row\\d* = srcBar\\[i\\d*\\];").matcher(generated).find(), generated);
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("swapped", r -> new Object[] {vector(r, 24, -1, 1), 0.1, 3}, 0, 1),
        of("inPlace", r -> new Object[] {vector(r, 24, -1, 1), 0.1, 3}, 0, 1),
        of("swappedIndexed", r -> new Object[] {vector(r, 24, -1, 1), 0.1, 3}, 0, 1),
        of("inPlaceIndexed", r -> new Object[] {vector(r, 24, -1, 1), 0.1, 3}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
