package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Method;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by a user-style round (modern Java): constants Java finds by nesting or inheritance were
 * rejected, the first with a message that told the user to read constants ({@code Hyper.BETA} of
 * a nested class; an interface constant used unqualified in a class implementing it; a computed
 * {@code static final} of the enclosing class read from a nested class). They are now read: a
 * compile-time constant as its literal, another static field through its class's qualified
 * name. Three rejections now say what to write: a switch expression, a varargs call with a list
 * of values, and a call of a method of an enclosing class.
 */
class OtherClassConstantsTest {
  @Test
  void constantsFoundByNestingOrInheritanceAreRead() throws Exception {
    Compiled c = Compiled.compile("demo.Outer", """
        package demo;
        import org.rad.annotations.Differentiable;
        interface Scales { double SCALE = 2.5; }
        public class Outer {
          static final double LOG_2PI = Math.log(2 * Math.PI);
          static final class Hyper { static final double BETA = 0.9; }

          @Differentiable(wrt = "x")
          public static double f(double x) {
            return Hyper.BETA * x * x;
          }

          public static final class In implements Scales {
            @Differentiable(wrt = "x")
            public static double g(double x) {
              return LOG_2PI * x * x + SCALE * x;
            }
          }
        }
        """);
    Method f = c.load("demo.OuterGrad").getMethod("f", double.class, double[].class);
    Method g = c.load("demo.Outer_InGrad").getMethod("g", double.class, double[].class);
    double[] fBar = new double[1];
    double[] gBar = new double[1];
    f.invoke(null, 1.5, fBar);
    g.invoke(null, 1.5, gBar);
    // closed forms: d/dx 0.9 x^2 and d/dx (log(2 pi) x^2 + 2.5 x)
    assertEquals(2 * 0.9 * 1.5, fBar[0], 1e-12);
    assertEquals(2 * Math.log(2 * Math.PI) * 1.5 + 2.5, gBar[0], 1e-12);
  }

  @Test
  void rejectionsSayWhatToWrite() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.R", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class R {
          static double sum(double... xs) { double s = 0; for (double v : xs) s += v; return s; }
          static double outerHelper(double v) { return v * v; }

          @Differentiable(wrt = "x")
          public static double f(double x, int mode) {
            double a = switch (mode) {
              case 0 -> { yield x * x; }
              default -> x;
            };
            return a + sum(x, x * x);
          }

          public static final class In {
            @Differentiable(wrt = "x")
            public static double g(double x) {
              return outerHelper(x);
            }
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a case of a switch expression that is not one expression").inFile(source).onLine(10);
    assertThat(c).hadErrorContaining("pass the array yourself: sum(new double[] {x, x * x})").inFile(source).onLine(13);
    assertThat(c).hadErrorContaining("a method of a class In is nested in").inFile(source).onLine(19);
  }
}
