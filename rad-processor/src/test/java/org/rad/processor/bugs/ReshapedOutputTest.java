package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by a user-style test: one DMatrixRMaj used as the output of two EJML operations of
 * different shapes (EJML reshapes its outputs: a work buffer reused across layers) gave a wrong
 * gradient without an error, or an ArrayIndexOutOfBoundsException in the reverse sweep: the
 * matrix took its old shape back on restore, but its adjoint kept the last one, and later reads of
 * the adjoint indexed the old contents with the new layout. The adjoint now takes the old shape
 * back with the matrix (RadContext.restoreMatrix).
 */
class ReshapedOutputTest {
  static final String SOURCE = """
      package demo;
      import org.ejml.data.DMatrixRMaj;
      import org.ejml.dense.row.CommonOps_DDRM;
      import org.rad.annotations.Differentiable;
      public class Work {
        @Differentiable(wrt = {"a", "b"})
        public static double growing(DMatrixRMaj a, DMatrixRMaj b) {
          DMatrixRMaj c = new DMatrixRMaj(2, 2);
          CommonOps_DDRM.multTransA(a, a, c);
          double s = c.get(1, 1);
          CommonOps_DDRM.mult(a, b, c);
          return s * c.get(2, 3);
        }

        @Differentiable(wrt = {"a", "b"})
        public static double shrinking(DMatrixRMaj a, DMatrixRMaj b) {
          DMatrixRMaj c = new DMatrixRMaj(3, 4);
          CommonOps_DDRM.mult(a, b, c);
          double s = c.get(2, 3) + c.get(0, 1);
          CommonOps_DDRM.multTransA(a, a, c);
          return s * c.get(1, 1) + c.get(0, 1);
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Work", SOURCE);
    user = c.load("demo.Work");
    grad = c.load("demo.WorkGrad");
  }

  static DMatrixRMaj matrix(SplittableRandom r, int rows, int cols) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int k = 0; k < m.data.length; k++) {
      m.data[k] = r.nextDouble(-1, 1);
    }
    return m;
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("growing", r -> new Object[] {matrix(r, 3, 2), matrix(r, 2, 4)}, 0, 1),
        of("shrinking", r -> new Object[] {matrix(r, 3, 2), matrix(r, 2, 4)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
