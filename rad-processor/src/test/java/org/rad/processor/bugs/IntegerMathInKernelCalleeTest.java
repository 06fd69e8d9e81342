package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * A callee that a kernel calls becomes a {@code __device__} function, but its body was checked
 * only against calls of classes other than Math: {@code Math.floorMod} (which has no GPU version)
 * passed (the class compiled), and the CUDA writer passed the name through: the module called a C
 * function floorMod that does not exist. The callee's Math calls are now checked against MathRules as a
 * kernel's own are: the loop cannot be a kernel, and since it writes an array the kernels use,
 * that is a [RadCuda] error at the loop saying why.
 */
class IntegerMathInKernelCalleeTest {
  static final String SOURCE = """
      package demo;

      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Target;

      public class Rejected {
        static double g(double[] w, int i) {
          return w[i] * w[i] * (Math.floorMod(i, 3) + 1);
        }

        @Differentiable(wrt = "w", target = Target.CUDA)
        static double f(double[] w, int n) {
          double[] a = new double[n];
          for (int i = 0; i < n; i++) { // <- here
            a[i] = g(w, i);
          }
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += a[i] * a[i];
          }
          return s;
        }
      }
      """;

  @Test
  void theLoopIsAnErrorSayingWhy() {
    Compilation c = Compiled.compileExpectingFailure("demo.Rejected", SOURCE);
    List<Diagnostic<? extends JavaFileObject>> errors = c.errors();
    assertThat(errors).isNotEmpty();
    String all = errors.toString();
    assertThat(all).contains("[RadCuda]");
    assertThat(all).contains("Math.floorMod, which has no GPU version here");
    assertThat(all).doesNotContain("RadInternal");
    String[] lines = SOURCE.split("\n", -1);
    long line = 0;
    for (int k = 0; k < lines.length; k++) {
      if (lines[k].contains("// <- here")) {
        line = k + 1;
      }
    }
    assertEquals(line, errors.get(0).getLineNumber(), all);
  }
}
