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
 * Found by a user-style test: get(i, j) of a matrix that no variable holds ({@code (first ? a :
 * b).get(0, 0)}, {@code a.copy().get(0, 1)}, {@code twice(a).get(0, 1)}) was rejected with advice
 * that did not apply ("move the computation into a method"), where the same forms of arrays work.
 * Such an element is read like an array expression's: the matrix goes into a local first.
 */
class MatrixExpressionElementsTest {
  static final String SOURCE = """
      package demo;
      import org.ejml.data.DMatrixRMaj;
      import org.rad.annotations.Differentiable;
      public class MatrixElements {
        static DMatrixRMaj twice(DMatrixRMaj m) {
          DMatrixRMaj r = new DMatrixRMaj(m.numRows, m.numCols);
          for (int k = 0; k < m.getNumElements(); k++) {
            r.data[k] = 2 * m.data[k];
          }
          return r;
        }

        @Differentiable(wrt = {"a", "b"})
        public static double f(DMatrixRMaj a, DMatrixRMaj b, int first) {
          return (first > 0 ? a : b).get(0, 0) * a.copy().get(0, 1) + b.get(1, 1) * twice(a).get(1, 0);
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.MatrixElements", SOURCE);
    user = c.load("demo.MatrixElements");
    grad = c.load("demo.MatrixElementsGrad");
  }

  static DMatrixRMaj matrix(SplittableRandom r) {
    DMatrixRMaj m = new DMatrixRMaj(2, 2);
    for (int k = 0; k < 4; k++) {
      m.data[k] = r.nextDouble(-1, 1);
    }
    return m;
  }

  static Stream<GradientCase> cases() {
    return Stream.of(of("f", r -> new Object[] {matrix(r), matrix(r), r.nextInt(0, 2)}, 0, 1).points(6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
