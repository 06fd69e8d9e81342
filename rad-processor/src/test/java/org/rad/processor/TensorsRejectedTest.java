package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What stays outside the subset around {@code double[][][]}: each is a compile error at its line
 * that says what to write instead, never an internal error.
 */
class TensorsRejectedTest {
  static Stream<RejectionTest.Rejected> cases() {
    return Stream.of(
        new RejectionTest.Rejected("assigning a slice", "[RadUnsupported] assigning a whole slice of a double[][][] (phi[1])", """
            @Differentiable
            static double f(double x) {
              double[][][] phi = new double[2][2][2];
              phi[1] = new double[2][2]; // <- here
              phi[1][0][0] = x;
              return phi[1][0][0] * x;
            }
            """),
        new RejectionTest.Rejected("assigning a row of a slice", "[RadUnsupported] assigning a whole row of a double[][][] (phi[1][0])", """
            @Differentiable
            static double f(double[] x) {
              double[][][] phi = new double[2][2][2];
              phi[1][0] = x; // <- here
              return phi[1][0][0] * x[1];
            }
            """),
        new RejectionTest.Rejected("clone of a double[][][]", "[RadUnsupported] clone() of a double[][][]", """
            @Differentiable
            static double f(double[][][] x) {
              double[][][] y = x.clone(); // <- here
              return y[0][0][0];
            }
            """),
        new RejectionTest.Rejected("an array initializer of a double[][][]", "[RadUnsupported] the array initializer", """
            @Differentiable
            static double f(double x) {
              double[][][] y = new double[][][] {{{x}}}; // <- here
              return y[0][0][0];
            }
            """),
        new RejectionTest.Rejected("a double[][][][]", "[RadUnsupported] a local of type double[][][][]", """
            @Differentiable
            static double f(double x) {
              double[][][][] y = new double[1][1][1][1]; // <- here
              return x;
            }
            """),
        new RejectionTest.Rejected("a double[][][][] parameter", "[RadUnsupported] the parameter y of type double[][][][]", """
            @Differentiable
            static double f(double x, double[][][][] y) { // <- here
              return x;
            }
            """),
        new RejectionTest.Rejected("Randomize.ROWS on a double[]", "sameAcross = Randomize.ROWS applies to a double[][], a double[][][] or a DMatrixRMaj", """
            @Differentiable
            static double f(double[] w) {
              @org.rad.annotations.Randomize(fraction = 0.5, sameAcross = org.rad.annotations.Randomize.ROWS) // <- here
              double[] h = new double[2];
              h[0] = w[0] * w[0];
              return h[0] * w[1];
            }
            """),
        new RejectionTest.Rejected("a double[][][] local in a class with a CUDA method",
            "[RadCuda] the double[][][] local phi cannot run on the GPU (target = Target.CUDA): a class with a Target.CUDA method uses double[] and double[][] arrays only", """
            @Differentiable(wrt = "w", target = org.rad.annotations.Target.CUDA)
            static double f(double[] w, int n) {
              double[][][] phi = new double[2][n][n]; // <- here
              for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                  phi[1][i][j] = w[i] * w[j];
                }
              }
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += phi[1][i][i];
              }
              return s;
            }
            """),
        new RejectionTest.Rejected("a double[][][] parameter in a class with a CUDA method",
            "[RadCuda] the double[][][] parameter x of g cannot run on the GPU", """
            @Differentiable(wrt = "w", target = org.rad.annotations.Target.CUDA)
            static double f(double[] w, int n) {
              double[] a = new double[n];
              for (int i = 0; i < n; i++) {
                a[i] = w[i] * w[i];
              }
              double s = 0;
              for (int i = 0; i < n; i++) {
                s += a[i];
              }
              return s;
            }

            @Differentiable
            static double g(double[][][] x) { // <- here
              return x[0][0][0] * x[0][0][0];
            }
            """));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejected(RejectionTest.Rejected c) {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Rejected", c.source());
    Compilation compilation = Compiled.compileExpectingFailure(source);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(c.message()).inFile(source).onLine(c.line());
    for (Diagnostic<?> d : compilation.diagnostics()) {
      assertThat(d.getMessage(null)).doesNotContain("RadInternal");
    }
  }
}
