package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.CompilationSubject;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found while building the compact device tape (issue 13): two {@code @Randomize} arrays with
 * different fractions that one swap variable may hold were recorded at whichever fraction the
 * processor met first, which changed from compile to compile (0.6, 0.3, 0.3 in three builds of
 * one source). Their records are taken per shared storage, so different requests are now a
 * compile error at the second one's declaration; equal requests compile.
 */
class SharedStorageFractionsTest {
  static String source(String secondFraction) {
    return """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Pairs {
          @Differentiable
          static double f(double[] x, int steps) {
            @Randomize(fraction = 0.6)
            double[] a = x.clone();
            double[] a2 = new double[x.length];
            @Randomize(fraction = %s)
            double[] b = x.clone();
            double[] b2 = new double[x.length];
            double[] swap;
            for (int k = 0; k < steps; k++) {
              for (int i = 0; i < x.length; i++) {
                a2[i] = 0.5 * a[i] + x[i];
                b2[i] = a2[i] * b[i];
              }
              swap = a; a = a2; a2 = swap;
              swap = b; b = b2; b2 = swap;
            }
            double s = 0;
            for (int i = 0; i < x.length; i++) s += a[i] * b[i];
            return s;
          }
        }
        """.formatted(secondFraction);
  }

  @Test
  void differentFractionsOnArraysOneVariableMayHoldAreAnError() {
    Compilation c = Compiled.compileExpectingFailure("demo.Pairs", source("0.3"));
    assertThat(c.status()).isEqualTo(Compilation.Status.FAILURE);
    CompilationSubject.assertThat(c).hadErrorContaining("@Randomize on b (fraction 0.3");
    CompilationSubject.assertThat(c).hadErrorContaining("give both the same @Randomize");
    assertThat(c.errors().get(0).getLineNumber()).isEqualTo(11L);
  }

  @Test
  void equalFractionsCompile() {
    Compiled.compile("demo.Pairs", source("0.6"));
  }
}
