package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Issue 14 (found while testing row references): an array local that takes a row of a matrix and
 * is then swapped with another array ({@code double[] a = row; tmp = a; a = v; v = tmp;}) compiled
 * and gave a silently wrong gradient (d/dm[0][1] 1.67 instead of 2.16): the reverse sweep looks such
 * a local's adjoint up by the array's identity, which finds no row of the matrix's adjoint, and
 * got a new array of zeros instead. It is now a compile error at the variable's line, as is a row
 * reference that is itself reassigned later (a case the differential fuzzer generates), with a
 * message that says so.
 */
class ArrayHoldingRowTest {
  @Test
  void anArrayLocalSwappedWithARowIsAnErrorAtItsLine() {
    Compilation c = Compiled.compileExpectingFailure("demo.Held", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Held {
          @Differentiable(wrt = {"v0", "m0"})
          public static double f(double[] v0, double[][] m0) {
            double[] row = m0[0];
            double[] a8 = row;
            double[] tmp9 = a8;
            a8 = v0;
            v0 = tmp9;
            v0[2] += a8[1] * v0[1];
            return v0[2] * a8[2] + a8[0] + m0[0][2] * m0[0][1];
          }
        }
        """);
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors()).hasSize(1);
    assertThat(c.errors().get(0).getMessage(null)).contains("that may hold a row of a matrix");
  }

  @Test
  void aReassignedRowReferenceIsAnErrorThatSaysSo() {
    Compilation c = Compiled.compileExpectingFailure("demo.Swapped", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Swapped {
          @Differentiable(wrt = {"x"})
          static double f(double x, double[][] m0, double[] v0) {
            double[] a8 = m0[0];
            double s = x * a8[1] * x;
            a8 = v0;
            return s + a8[0];
          }
        }
        """);
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    assertThat(c.errors()).hasSize(1);
    assertThat(c.errors().get(0).getMessage(null)).contains("a row reference (a8 = m0[0]) that is later assigned another array");
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(6L);
  }
}
