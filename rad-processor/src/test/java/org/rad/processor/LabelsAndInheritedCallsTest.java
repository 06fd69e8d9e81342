package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Labels and inherited static methods (found by user-style tests): a break or continue naming the
 * innermost loop's own label is a plain one, a label no jump names changes nothing, and a jump out
 * of an enclosing loop is rejected at the jump with the rest of the loop still checked (a label
 * used to hide every later error of its statement). An inherited static method with number
 * parameters runs as it is, as the same call qualified with its class does; with an argument
 * that carries a derivative it is rejected like any method of another class.
 */
class LabelsAndInheritedCallsTest {
  static final String LABELS = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Labels {
        @Differentiable(wrt = "x")
        static double f(double[] x) {
          double s = 0;
          rows:
          for (int i = 0; i < x.length; i++) {
            if (x[i] < 0) continue rows;
            cols:
            for (int j = 0; j < x.length; j++) {
              if (j == i) continue cols;
              if (x[j] > 2.5) break cols;
              s += Math.sin(x[i] * x[j]);
            }
          }
          block: {
            s += x[0] * x[0];
          }
          return s;
        }
      }
      """;

  @Test
  void jumpsNamingTheInnermostLoopArePlainJumps() {
    Compiled c = Compiled.compile("demo.Labels", LABELS);
    // components on both sides of the tests x[i] < 0 and x[j] > 2.5
    of("f", r -> new Object[] {new double[] {0.3, -0.2, 1.1, 2.9, 0.7 + 0.1 * r.nextDouble()}}, 0)
        .check(c.load("demo.Labels"), c.load("demo.LabelsGrad"));
  }

  @Test
  void aJumpOutOfAnEnclosingLoopLeavesTheLoopsOtherErrorsReported() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Outer", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Outer {
          @Differentiable(wrt = "x")
          static double f(double[] x) {
            double s = 0;
            outer:
            for (int i = 0; i < x.length; i++) {
              for (int j = 0; j < x.length; j++) {
                if (x[j] > 5) continue outer;
                float q = 1f;
                s += x[i] * x[j];
              }
            }
            return s;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).hadErrorContaining("[RadUnsupported] a labeled continue (continue outer)").inFile(source).onLine(10);
    assertThat(c).hadErrorContaining("[RadUnsupported] a local of type float").inFile(source).onLine(11);
    assertThat(c.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count()).isEqualTo(2);
  }

  static final JavaFileObject BASE = JavaFileObjects.forSourceString("demo.Base", """
      package demo;
      public class Base {
        public static double coef(int k) {
          return 1.0 / (k + 1);
        }

        static double half(double v) {
          return v / 2;
        }
      }
      """);

  @Test
  void anInheritedStaticMethodRunsAsItIs() {
    JavaFileObject user = JavaFileObjects.forSourceString("demo.Weighted", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Weighted extends Base {
          @Differentiable(wrt = "x")
          static double f(double[] x) {
            double s = half(3.0);
            for (int i = 0; i < x.length; i++) {
              s += coef(i) * x[i] * x[i];
            }
            return s;
          }
        }
        """);
    Compiled c = Compiled.compile(BASE, user);
    of("f", r -> new Object[] {vector(r, 4, -1, 1)}, 0).check(c.load("demo.Weighted"), c.load("demo.WeightedGrad"));
  }

  @Test
  void anInheritedStaticMethodOfADerivativeIsRejected() {
    JavaFileObject user = JavaFileObjects.forSourceString("demo.Active", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Active extends Base {
          @Differentiable(wrt = "x")
          static double f(double[] x) {
            return half(x[0]);
          }
        }
        """);
    Compilation c = com.google.testing.compile.Compiler.javac().withProcessors(new RadProcessor()).compile(user, BASE);
    assertThat(c).hadErrorContaining("[RadUnknownCall] call to Base.half").inFile(user).onLine(6);
  }
}
