package org.rad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import org.junit.jupiter.api.Test;

/** User-declared adjoints ({@code @CustomAdjoint}) for methods the processor does not read. */
class CustomAdjointTest {
  static final String USES = """
      package adj;
      import org.rad.annotations.CustomAdjoint;
      import org.rad.annotations.Differentiable;
      public class Uses {
        // A stream: outside the supported subset, so the processor could not differentiate it.
        @CustomAdjoint("sumOfSquaresAdjoint")
        static double sumOfSquares(double[] a) {
          return java.util.Arrays.stream(a).map(v -> v * v).sum();
        }

        static void sumOfSquaresAdjoint(double[] a, double[] aBar, double resultBar) {
          for (int i = 0; i < a.length; i++) {
            aBar[i] += 2 * a[i] * resultBar;
          }
        }

        @CustomAdjoint("softplusAdjoint")
        static double softplus(double x) {
          return Math.log1p(Math.exp(x));
        }

        static void softplusAdjoint(double x, double[] xBar, double resultBar) {
          xBar[0] += resultBar / (1 + Math.exp(-x));
        }

        @Differentiable
        static double f(double[] w, double s) {
          double[] h = new double[w.length];
          for (int i = 0; i < w.length; i++) {
            h[i] = softplus(w[i] * s);
          }
          return sumOfSquares(h) + softplus(s);
        }
      }
      """;

  @Test
  void declaredAdjointIsUsedAndMatchesCentralDifferences() {
    Compiled c = Compiled.compile("adj.Uses", USES);
    GradientHarness h = new GradientHarness(c.load("adj.Uses"), c.load("adj.UsesGrad"), "f", 0, 1);
    h.check(r -> new Object[] {r.doubles(4, -1, 1).toArray(), r.nextDouble(-1, 1)}, 4, 1e-6, 1e-6);
    String generated = c.generatedSource("adj.UsesGrad");
    org.junit.jupiter.api.Assertions.assertTrue(generated.contains("Uses.sumOfSquaresAdjoint(a, aBar, resultBar)"), generated);
  }

  @Test
  void mismatchedAdjointIsAnErrorAtItsLine() {
    Compilation c = Compiled.compileExpectingFailure("adj.Bad", """
        package adj;
        import org.rad.annotations.CustomAdjoint;
        import org.rad.annotations.Differentiable;
        public class Bad {
          @CustomAdjoint("squareAdjoint")
          static double square(double x) {
            return x * x;
          }

          static void squareAdjoint(double x, double xBar, double resultBar) {
          }

          @Differentiable
          static double f(double x) {
            return square(x) + x;
          }
        }
        """);
    assertThat(c).hadErrorContaining("[RadAdjoint] the adjoint of square must be static void squareAdjoint(double, double[], double)")
        .inFile(c.sourceFiles().get(0)).onLine(6);
  }

  @Test
  void missingAdjointIsAnErrorAtItsLine() {
    Compilation c = Compiled.compileExpectingFailure("adj.Missing", """
        package adj;
        import org.rad.annotations.CustomAdjoint;
        import org.rad.annotations.Differentiable;
        public class Missing {
          @CustomAdjoint("nowhere")
          static double square(double x) {
            return x * x;
          }

          @Differentiable
          static double f(double x) {
            return square(x);
          }
        }
        """);
    assertThat(c).hadErrorContaining("the adjoint nowhere named by @CustomAdjoint on square is not a method of Missing")
        .inFile(c.sourceFiles().get(0)).onLine(6);
  }

  /**
   * An adjoint whose parameters are wrong is told the signature it needs and what it has; "not
   * private" only where it is private (a tester's public adjoint lacking a parameter was told
   * "not private").
   */
  @Test
  void aWrongAdjointSignatureSaysWhatIsWrong() {
    Compilation c = Compiled.compileExpectingFailure("demo.Short", """
        package demo;
        import org.rad.annotations.CustomAdjoint;
        import org.rad.annotations.Differentiable;
        public class Short {
          @CustomAdjoint("squareAdj")
          static double square(double x) {
            return x * x;
          }

          static void squareAdj(double x, double[] xBar) {
            xBar[0] += 2 * x;
          }

          @CustomAdjoint("cubeAdj")
          static double cube(double x) {
            return x * x * x;
          }

          private static void cubeAdj(double x, double[] xBar, double resultBar) {
            xBar[0] += 3 * x * x * resultBar;
          }

          @Differentiable
          static double f(double x) {
            return square(x) + cube(x);
          }
        }
        """);
    assertThat(c).hadErrorContaining("the adjoint of square must be static void squareAdj(double, double[], double)"
        + " (adjoints of the differentiable parameters in order, then the result's); found static void squareAdj(double, double[])");
    assertThat(c).hadErrorContaining("the adjoint of cube must be static void cubeAdj(double, double[], double)"
        + " (adjoints of the differentiable parameters in order, then the result's), not private; found private static void");
  }

  /**
   * Found by user-style tests: an adjoint for a DMatrixRMaj parameter could never match (the
   * expected signature wrote the matrix's simple name, javac its qualified one); an overload of the
   * adjoint's name declared after it hid it; and a method with @CustomAdjoint that writes into its
   * array parameter gave a wrong gradient silently (its adjoint sees the written values).
   */
  @Test
  void matrixAdjointsAndOverloadsAreFound() {
    Compiled c = Compiled.compile("adj.Mat", """
        package adj;
        import org.ejml.data.DMatrixRMaj;
        import org.rad.annotations.CustomAdjoint;
        import org.rad.annotations.Differentiable;
        public class Mat {
          @CustomAdjoint("firstAdjoint")
          static double first(DMatrixRMaj a) {
            return a.data[0] * a.data[1];
          }

          static void firstAdjoint(DMatrixRMaj a, DMatrixRMaj aBar, double resultBar) {
            aBar.data[0] += resultBar * a.data[1];
            aBar.data[1] += resultBar * a.data[0];
          }

          static void firstAdjoint(double unrelated) {
          }

          @Differentiable(wrt = "a")
          static double f(DMatrixRMaj a) {
            return first(a) * a.data[2];
          }
        }
        """);
    GradientHarness h = new GradientHarness(c.load("adj.Mat"), c.load("adj.MatGrad"), "f", 0);
    h.check(r -> {
      org.ejml.data.DMatrixRMaj a = new org.ejml.data.DMatrixRMaj(2, 2);
      for (int k = 0; k < 4; k++) {
        a.data[k] = r.nextDouble(-1, 1);
      }
      return new Object[] {a};
    }, 4, 1e-6, 1e-6);
  }

  @Test
  void aCustomMethodThatWritesIntoItsArrayIsAnError() {
    Compilation c = Compiled.compileExpectingFailure("adj.Writes", """
        package adj;
        import org.rad.annotations.CustomAdjoint;
        import org.rad.annotations.Differentiable;
        public class Writes {
          @CustomAdjoint("sqAdjoint")
          static double sq(double[] v) {
            double o = v[0];
            v[0] = o * o;
            return o;
          }

          static void sqAdjoint(double[] v, double[] vBar, double resultBar) {
            vBar[0] += resultBar;
          }

          @Differentiable(wrt = "x")
          static double f(double[] x) {
            return sq(x) + x[0];
          }
        }
        """);
    assertThat(c).hadErrorContaining("[RadAdjoint] sq has @CustomAdjoint and writes into its array parameter v")
        .inFile(c.sourceFiles().get(0)).onLine(6);
  }
}
