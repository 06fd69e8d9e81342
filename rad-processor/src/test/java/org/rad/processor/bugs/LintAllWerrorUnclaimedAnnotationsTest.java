package org.rad.processor.bugs;

import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;
import org.rad.processor.LocalClassCheck;
import org.rad.processor.RadProcessor;

/**
 * Bug: a build with {@code -Xlint:all -Werror} failed with "No processor claimed any of these
 * annotations" because the processor left the rad annotations unclaimed. Now it claims all of
 * {@code org.rad.annotations}; the class uses each of them ({@code @Randomize} on a parameter,
 * where javac sees it, as well as on a local variable), and the generated code compiles without a
 * lint warning too.
 */
class LintAllWerrorUnclaimedAnnotationsTest {
  private static final String SOURCE = """
      package demo;

      import org.rad.annotations.CustomAdjoint;
      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Randomize;

      public class Lint {
        @CustomAdjoint("softplusAdjoint")
        static double softplus(double x) {
          return Math.log1p(Math.exp(x));
        }

        static void softplusAdjoint(double x, double[] xBar, double resultBar) {
          xBar[0] += resultBar / (1 + Math.exp(-x));
        }

        static double[] scaled(double[] a, double s) {
          double[] r = new double[a.length];
          for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * s;
          }
          return r;
        }

        @Differentiable(wrt = {"w"})
        static double layer(double[][] w, @Randomize(fraction = 0.5) double[] x) {
          @Randomize(fraction = 0.5)
          double[] h = new double[w.length];
          for (int i = 0; i < w.length; i++) {
            for (int j = 0; j < x.length; j++) {
              h[i] += w[i][j] * x[j];
            }
          }
          double s = 0;
          for (double v : scaled(h, 2)) {
            s += softplus(v);
          }
          return s;
        }

        double scale = 3;

        @Differentiable
        double instance(double x, double[] v) {
          double s = 0;
          for (int i = 0; i < v.length; i++) {
            s += v[i] * x;
          }
          return s > 1 ? Math.sin(s) : s * s;
        }
      }
      """;

  @Test
  void compilesWithLintAllAndWerror() {
    Compilation c = Compiler.javac().withProcessors(new RadProcessor(), new LocalClassCheck())
        .withOptions("-Xlint:all", "-Werror")
        .compile(JavaFileObjects.forSourceString("demo.Lint", SOURCE));
    assertThat(c).succeededWithoutWarnings();
    assertThat(c).generatedSourceFile("demo.LintGrad");
  }
}
