package org.rad.processor.bugs;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by a user-style test: a class of the user's named Math (in the package, or nested in the
 * class) took the name from java.lang.Math in Java, but not in rad: {@code Math.sin(x)} was
 * differentiated as java.lang.Math's sine (a wrong value and gradient), and the generated code's
 * {@code Math.cos} called the user's class (a wrong gradient, or code javac rejected). A call of
 * the user's Math is now the call of another class's method it is, and the generated code writes
 * java.lang.Math in full where the simple name is taken.
 */
class UserMathClassTest {
  static final String USER_MATH = """
      package demo;
      public final class Math {
        public static double sin(double x) {
          return x - x * x * x / 6;
        }

        public static double cos(double x) {
          return 1 - x * x / 2;
        }
      }
      """;

  @Test
  void theUsersMathIsAnotherClass() {
    Compilation c = Compiled.compileExpectingFailure(JavaFileObjects.forSourceString("demo.P", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class P {
          @Differentiable(wrt = "x")
          public static double f(double[] x) {
            return Math.sin(x[0]) * x[1];
          }
        }
        """));
    // (compiled alone, Math is java.lang.Math: the user's class comes in below)
    assertThat(c).succeeded();
    Compilation withUsers = com.google.testing.compile.Compiler.javac()
        .withProcessors(new org.rad.processor.RadProcessor())
        .compile(JavaFileObjects.forSourceString("demo.Math", USER_MATH), JavaFileObjects.forSourceString("demo.P", """
            package demo;
            import org.rad.annotations.Differentiable;
            public class P {
              @Differentiable(wrt = "x")
              public static double f(double[] x) {
                return Math.sin(x[0]) * x[1];
              }
            }
            """));
    assertThat(withUsers).hadErrorContaining("[RadUnknownCall] call to Math.sin");
  }

  @Test
  void javaLangMathIsWrittenInFullWhereTheNameIsTaken() throws Exception {
    Compiled c = Compiled.compile(JavaFileObjects.forSourceString("demo.Math", USER_MATH),
        JavaFileObjects.forSourceString("demo.Q", """
            package demo;
            import org.rad.annotations.Differentiable;
            public class Q {
              @Differentiable(wrt = "x")
              public static double f(double[] x) {
                return java.lang.Math.sin(x[0]) * x[1];
              }
            }
            """));
    String source = c.generatedSource("demo.QGrad");
    assertTrue(source.contains("java.lang.Math.cos(x[0])"), source);
    double[] xBar = new double[2];
    c.load("demo.QGrad").getMethod("f", double[].class, double[].class).invoke(null, new double[] {0.5, 0.7}, xBar);
    assertEquals(java.lang.Math.cos(0.5) * 0.7, xBar[0], 1e-15);
    assertEquals(java.lang.Math.sin(0.5), xBar[1], 1e-15);
  }
}
