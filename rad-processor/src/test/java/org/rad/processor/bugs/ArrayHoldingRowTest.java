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
 * Issue 14 (found while testing row references; the differential fuzzer generates the shape): an
 * array variable that holds a row of a matrix and is swapped with another array ({@code double[] a
 * = row; tmp = a; a = v; v = tmp;}) gave a silently wrong gradient (d/dm[0][1] 1.67 instead of
 * 2.16): the reverse sweep looks such a variable's adjoint up by the array's identity, and a row
 * was not known there, so the lookup made a new array of zeros, disconnected from the matrix's
 * adjoint. A row reference that is itself reassigned later was rejected. The context now knows each
 * row of a matrix adjoint as the adjoint of the matrix's row, and a reassigned row reference is
 * restored from the tape like any other array reference.
 */
class ArrayHoldingRowTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Held {
        @Differentiable(wrt = {"v0", "m0"})
        public static double viaLocal(double[] v0, double[][] m0) {
          double[] row = m0[0];
          double[] a8 = row;
          double[] tmp9 = a8;
          a8 = v0;
          v0 = tmp9;
          v0[2] += a8[1] * v0[1];
          return v0[2] * a8[2] + a8[0] + m0[0][2] * m0[0][1];
        }

        @Differentiable(wrt = {"v0", "m0"})
        public static double reassignedRow(double[] v0, double[][] m0) {
          double[] a8 = m0[0];
          double[] tmp9 = a8;
          a8 = v0;
          v0 = tmp9;
          v0[2] += a8[1] * v0[1];
          return v0[2] * a8[2] + a8[0] + m0[0][2] * m0[0][1];
        }

        @Differentiable(wrt = {"x"})
        public static double constantRow(double x, double[][] m0, double[] v0) {
          double[] a8 = m0[0];
          double s = x * a8[1] * x;
          a8 = v0;
          return s + a8[0] * x;
        }

        @Differentiable(wrt = {"x0", "v1", "m0"})
        public static double swappedInLoop(double x0, double[] v0, double[] v1, double[][] m0) {
          double[][] local = new double[m0.length][m0[0].length];
          for (int i = 0; i < m0.length; i++) for (int j = 0; j < m0[i].length; j++) local[i][j] = m0[i][j] * x0;
          double[] a1 = local[1];
          for (int i2 = 0; i2 < v0.length; i2++) {
            a1[i2] = a1[i2] * v1[i2] + x0;
            double[] tmp9 = a1;
            a1 = v1;
            v1 = tmp9;
          }
          double acc = 0.0;
          for (int i = 0; i < v0.length; i++) acc += v0[i] * v1[i] * a1[i] + local[1][i] * local[0][i];
          return acc + x0;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Held", SOURCE);
    user = c.load("demo.Held");
    grad = c.load("demo.HeldGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("viaLocal", r -> new Object[] {vector(r, 3, -1, 1), matrix(r, 2, 3, -1, 1)}, 0, 1),
        of("reassignedRow", r -> new Object[] {vector(r, 3, -1, 1), matrix(r, 2, 3, -1, 1)}, 0, 1),
        of("constantRow", r -> new Object[] {r.nextDouble(-1, 1), matrix(r, 2, 3, -1, 1), vector(r, 3, -1, 1)}, 0),
        of("swappedInLoop", r -> new Object[] {r.nextDouble(-1, 1), vector(r, r.nextInt(2, 4), -1, 1), vector(r, 3, -1, 1),
            matrix(r, 3, 3, -1, 1)}, 0, 2, 3).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
