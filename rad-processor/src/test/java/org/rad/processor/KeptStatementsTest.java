package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;

/**
 * Statements that print or build strings are kept as they are: the gradient call prints exactly
 * what the original prints (values read where the original reads them, once per call, also where
 * the reverse sweep recomputes a helper that prints), and the gradient is unchanged. Kept
 * statements that could change what is differentiated are rejected at their line.
 */
class KeptStatementsTest {
  static final String SOURCE = """
      package demo;
      import static java.lang.Math.*;
      import java.util.Arrays;
      import java.util.Locale;
      import org.rad.annotations.Differentiable;
      public class Printing {
        private final double scale;
        private static final String PREFIX = "\\t\\\"f\\\": ";
        public Printing(double scale) {
          this.scale = scale;
        }

        static double weight(double p) {
          System.out.println("weight(" + p + ")");
          return p * p + 1;
        }

        static double sumSquares(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * a[i];
            System.out.printf(Locale.ROOT, "  i=%d s=%.17g%n", i, s);
          }
          return s;
        }

        @Differentiable(wrt = {"a", "x"})
        double f(double[] a, double x) {
          String returned; // the name the early return's flag would take: the flag must avoid it
          if (x > 5) {
            System.out.println("large x, early return");
            return x;
          }
          if (a[0] > 0) {
            returned = "a0 positive";
          } else {
            returned = "a0 not positive";
          }
          System.out.println(returned);
          String label = PREFIX + "x=" + x;
          StringBuilder trace = new StringBuilder("trace:");
          System.out.println(label + " a=" + Arrays.toString(a) + " scale " + this.scale);
          double y = x * x;
          trace.append(' ').append(y);
          y = sin(y) * scale;
          trace.append(' ').append(y);
          double t = weight(a.length * 0.5);
          for (int i = 0; i < a.length; i++) {
            a[i] = a[i] * y + t;
            if (a[i] > 0) {
              System.out.println("a[" + i + "] = " + a[i] + " of " + a.length);
              continue;
            }
            trace.append(" neg").append(i);
          }
          double s = sumSquares(a);
          String summary = String.format(Locale.ROOT, "%s %s s=%.17g", label, trace, s);
          summary += "!";
          System.err.println(summary);
          System.out.println(summary + " exp " + exp(x));
          return s * x + a[0] * y;
        }
      }
      """;
  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Printing", SOURCE);
    user = compiled.load("demo.Printing");
    grad = compiled.load("demo.PrintingGrad");
  }

  /** What {@code run} prints on System.out and System.err. */
  private static String captured(Runnable run) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8);
    System.setOut(capture);
    System.setErr(capture);
    try {
      run.run();
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  private static Object receiver() throws ReflectiveOperationException {
    return user.getConstructor(double.class).newInstance(1.5);
  }

  @Test
  void gradientCallPrintsWhatTheOriginalPrints() throws ReflectiveOperationException {
    Method original = user.getDeclaredMethod("f", double[].class, double.class);
    original.setAccessible(true);
    Method gradient = grad.getMethod("f", user, double[].class, double.class, double[].class, double[].class, RadContext.class);
    Object self = receiver();
    for (double[] a : List.of(new double[] {0.5, -0.3, 0.8}, new double[] {-0.9, -0.3, -2.0})) {
      double[] value = new double[2];
      String expected = captured(() -> value[0] = invoke(original, self, a.clone(), 0.7));
      RadContext ctx = RadContext.exact();
      for (int call = 0; call < 2; call++) { // the context is reused: still once per call
        String actual = captured(() -> value[1] = invoke(gradient, null, self, a.clone(), 0.7, new double[3], new double[1], ctx));
        assertThat(actual).isEqualTo(expected);
        assertThat(value[1]).isEqualTo(value[0]);
      }
      assertThat(expected).contains("weight(1.5)");
      assertThat(expected).contains("  i=2 s=");
      assertThat(RadContext.inReverseSweep()).isFalse();
    }
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    captured(() -> of("f", r -> {
      try {
        return new Object[] {receiver(), vector(r, 3, -1, 1), r.nextDouble(0.3, 1.2)};
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }, 1, 2).check(user, grad));
  }

  private static double invoke(Method m, Object self, Object... args) {
    try {
      return (double) m.invoke(self, args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void notInAClassWithACudaMethod() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Gpu", """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Target;
        public class Gpu {
          @Differentiable(wrt = "a", target = Target.CUDA)
          static double f(double[] a) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += a[i] * a[i];
            }
            System.out.println("s=" + s);
            return s;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadCuda] this statement, which prints or builds strings,").inFile(source).onLine(11);
  }

  @Test
  void keptStatementsThatCouldChangeTheGradientAreRejected() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Bad", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Bad {
          static double norm(double[] a) {
            return Math.sqrt(a[0] * a[0] + a[1] * a[1]);
          }

          @Differentiable
          static double f(double[] a, double x) {
            String s = "x=" + x;
            double n = s.length() * x;
            System.out.println(s + (x = 2));
            String copy = String.valueOf(java.util.Arrays.asList(a));
            System.out.println("norm " + norm(a));
            java.util.List<double[]> kept = new java.util.ArrayList<>();
            kept.add(a);
            System.out.println(java.util.Arrays.toString(a) + a.length + a[0]);
            return n * a[0];
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("using the object s in a computation").inFile(source).onLine(11);
    assertThat(c).hadErrorContaining("assigning x in a statement that prints or builds strings").inFile(source).onLine(12);
    assertThat(c).hadErrorContaining("using the array a other than by its elements").inFile(source).onLine(13);
    assertThat(c).hadErrorContaining("calling norm in a statement that prints or builds strings").inFile(source).onLine(14);
    // a List is no string type: rejected as before; its use on line 16 is not reported again
    assertThat(c).hadErrorContaining("creating an object (new java.util.ArrayList<>())").inFile(source).onLine(15);
    long errors = c.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count();
    assertThat(errors).isEqualTo(5);
  }
}
