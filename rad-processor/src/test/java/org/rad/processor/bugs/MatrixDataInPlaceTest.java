package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;

import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by a user-style test: a loop that overwrites an EJML matrix element by element through
 * {@code data} ({@code h.data[k] = Math.tanh(h.data[k] * c)}), where the old values had to be
 * recorded, got its record as one slice of the matrix, {@code ctx.pushDoubles(h, 0, n)}, which
 * javac rejects (a DMatrixRMaj is not a double[]). A matrix's elements are now recorded one by one.
 */
class MatrixDataInPlaceTest {
  static final String SOURCE = """
      package demo;
      import org.ejml.data.DMatrixRMaj;
      import org.rad.annotations.Differentiable;
      public class Data {
        static DMatrixRMaj sq(DMatrixRMaj w) {
          DMatrixRMaj o = new DMatrixRMaj(w.numRows, w.numCols);
          for (int k = 0; k < w.getNumElements(); k++) {
            o.data[k] = w.data[k] * w.data[k];
          }
          return o;
        }

        @Differentiable(wrt = "w")
        public static double f(DMatrixRMaj w, double c) {
          DMatrixRMaj h = sq(w);
          for (int k = 0; k < h.getNumElements(); k++) {
            h.data[k] = Math.sin(h.data[k] * c);
          }
          double s = 0;
          for (int k = 0; k < h.numRows * h.numCols; k++) {
            s += h.data[k] * w.data[k];
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Data", SOURCE);
    user = c.load("demo.Data");
    grad = c.load("demo.DataGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(of("f", r -> {
      DMatrixRMaj w = new DMatrixRMaj(2, 3);
      for (int k = 0; k < 6; k++) {
        w.data[k] = r.nextDouble(-1, 1);
      }
      return new Object[] {w, r.nextDouble(0.5, 2)};
    }, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
