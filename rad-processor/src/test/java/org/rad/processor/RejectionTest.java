package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every construct outside the supported subset is a compile error with a stable message id, at
 * the line of the offending code, and the processor never fails with an internal error.
 * Each case is the body of a class {@code demo.Rejected}; the expected line is marked
 * {@code // <- here}.
 */
class RejectionTest {
  /** A rejected construct: the members of the class and a fragment of the expected message. */
  record Rejected(String name, String message, String members) {
    @Override
    public String toString() {
      return name;
    }

    String source() {
      return "package demo;\n\nimport org.rad.annotations.Differentiable;\n\npublic class Rejected {\n"
          + members.stripIndent() + "}\n";
    }

    /** The 1-based line of the marker {@code // <- here} in the source. */
    long line() {
      String[] lines = source().split("\n", -1);
      for (int k = 0; k < lines.length; k++) {
        if (lines[k].contains("// <- here")) {
          return k + 1;
        }
      }
      throw new AssertionError("case " + name + " has no // <- here marker");
    }
  }

  static Stream<Rejected> cases() {
    return Stream.of(
        new Rejected("try/catch", "[RadUnsupported] try/catch is not supported", """
            @Differentiable
            static double f(double x) {
              try { // <- here
                x = x * 2;
              } catch (RuntimeException e) {
                x = 0;
              }
              return x;
            }
            """),
        new Rejected("throw", "[RadUnsupported] throw is not supported", """
            @Differentiable
            static double f(double x) {
              if (x < 0) {
                throw new IllegalArgumentException("negative"); // <- here
              }
              return Math.sqrt(x);
            }
            """),
        new Rejected("lambda", "[RadUnsupported] a lambda or method reference is not supported", """
            @Differentiable
            static double f(double x) {
              java.util.function.DoubleUnaryOperator twice = v -> 2 * v; // <- here
              return twice.applyAsDouble(x);
            }
            """),
        new Rejected("method reference in a stream", "[RadUnsupported] a lambda or method reference is not supported", """
            @Differentiable
            static double f(double[] a) {
              double s = 0;
              s += java.util.Arrays.stream(a).map(Math::sin).sum(); // <- here
              return s;
            }
            """),
        new Rejected("stream", "[RadUnknownCall] call to java.util.Arrays.stream(a).sum(), whose body the processor does not differentiate", """
            @Differentiable
            static double f(double[] a) {
              return java.util.Arrays.stream(a).sum(); // <- here
            }
            """),
        new Rejected("library method with an active argument", "[RadUnknownCall] call to Double.sum, whose body the processor does not differentiate: its arguments carry a derivative", """
            @Differentiable
            static double f(double x) {
              double y = x * x;
              double z = Double.sum(y, 1); // <- here
              return z;
            }
            """),
        new Rejected("interface method", "[RadUnknownCall] call to model.applyAsDouble(x), whose body the processor does not differentiate", """
            static final java.util.function.DoubleUnaryOperator model = Math::exp;

            @Differentiable
            static double f(double x) {
              return model.applyAsDouble(x); // <- here
            }
            """),
        new Rejected("abstract method", "[RadUnknownCall] call to energy(x), whose body the processor does not differentiate: it has no body", """
            interface Energy {
              double energy(double x);
            }

            static abstract class Model {
              abstract double energy(double x);

              @Differentiable
              double f(double x) {
                return energy(x) * 2; // <- here
              }
            }
            """),
        new Rejected("direct recursion", "[RadRecursion] recursive call to halve is not supported", """
            static double halve(double x) {
              return x < 1 ? x : halve(x / 2); // <- here
            }

            @Differentiable
            static double f(double x) {
              return halve(x);
            }
            """),
        new Rejected("mutual recursion", "[RadRecursion] recursive call to even is not supported", """
            static double even(double x, int n) {
              return n == 0 ? x : odd(x * 2, n - 1);
            }

            static double odd(double x, int n) {
              return n == 0 ? -x : even(x + 1, n - 1); // <- here
            }

            @Differentiable
            static double f(double x) {
              return even(x, 4);
            }
            """),
        new Rejected("field write", "[RadUnsupported] writing the field calls is not supported", """
            static int calls;

            @Differentiable
            static double f(double x) {
              calls = calls + 1; // <- here
              return x;
            }
            """),
        new Rejected("field array write", "[RadUnsupported] writing into the field array weights[0] is not supported", """
            static double[] weights = {1, 2};

            @Differentiable
            static double f(double x) {
              weights[0] = x; // <- here
              return x * weights[1];
            }
            """),
        new Rejected("field array written through a local", "[RadUnsupported] writing into the field array weights through w is not supported", """
            static double[] weights = {1, 2};

            @Differentiable
            static double f(double x) {
              double[] w = weights;
              w[0] = x; // <- here
              return x * weights[0];
            }
            """),
        new Rejected("field array written by a callee", "[RadUnsupported] passing the field array weights to scale, which writes into it", """
            static double[] weights = {1, 2};

            static void scale(double[] v, double s) {
              v[0] = v[0] * s;
            }

            @Differentiable
            static double f(double x) {
              scale(weights, 2); // <- here
              return x * weights[0];
            }
            """),
        new Rejected("field array returned by a helper and written", "[RadUnsupported] writing into the field array weights through w is not supported", """
            static final double[] weights = {1, 2};

            static double[] getWeights() {
              return weights;
            }

            @Differentiable
            static double f(double x) {
              double[] w = getWeights();
              w[0] = x; // <- here
              return x * weights[0];
            }
            """),
        new Rejected("row of a field matrix returned by a helper and written", "[RadUnsupported] writing into the field array m through", """
            static final double[][] m = {{1, 2}, {3, 4}};

            static double[] row(int i) {
              return m[i];
            }

            @Differentiable
            static double f(double x) {
              row(1)[0] = x * x; // <- here
              return x * m[1][0];
            }
            """),
        new Rejected("labeled break", "[RadUnsupported] a labeled break (break outer) is not supported", """
            @Differentiable
            static double f(double x) {
              outer:
              for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                  if (x > 10) {
                    break outer; // <- here
                  }
                  x = x * 2;
                }
              }
              return x;
            }
            """),
        new Rejected("labeled continue", "[RadUnsupported] a labeled continue (continue rows) is not supported", """
            @Differentiable
            static double f(double[][] m) {
              double s = 0;
              rows:
              for (double[] row : m) {
                for (double v : row) {
                  if (v < 0) {
                    continue rows; // <- here
                  }
                  s += v;
                }
              }
              return s;
            }
            """),
        new Rejected("do-while", "[RadUnsupported] a do-while loop is not supported", """
            @Differentiable
            static double f(double x) {
              do { // <- here
                x = x * 2;
              } while (x < 10);
              return x;
            }
            """),
        new Rejected("switch case falling through", "[RadUnsupported] a case that falls through into the next one", """
            @Differentiable
            static double f(double x, int k) {
              switch (k) {
                case 1: // <- here
                  x = x * 2;
                case 2:
                  x = x + 1;
                  break;
                default:
                  x = -x;
              }
              return x;
            }
            """),
        new Rejected("break inside a case", "[RadUnsupported] a break that leaves a switch before the end of its case", """
            @Differentiable
            static double f(double x, int k) {
              switch (k) {
                case 1:
                  if (x > 1) break; // <- here
                  x = x * 2;
                  break;
                default:
                  x = -x;
              }
              return x;
            }
            """),
        new Rejected("local shared by cases", "[RadUnsupported] the local t, declared in an earlier case", """
            @Differentiable
            static double f(double x, int k) {
              switch (k) {
                case 1:
                  double t = x * 2;
                  x = t;
                  break;
                default:
                  t = 3; // <- here
                  x = x * t;
              }
              return x;
            }
            """),
        new Rejected("switch expression with a block", "[RadUnsupported] a case of a switch expression that is not one expression", """
            @Differentiable
            static double f(double x, int k) {
              double y = switch (k) {
                case 0 -> { // <- here
                  double u = x * 2;
                  yield u;
                }
                default -> x;
              };
              return y;
            }
            """),
        new Rejected("char label", "label the case with the char's code, case 97:", """
            @Differentiable
            static double f(double x, int k) {
              switch (k) {
                case 'a': // <- here
                  x = x * 2;
                  break;
                default:
                  x = -x;
              }
              return x;
            }
            """),
        new Rejected("throw in a switch expression", "[RadUnsupported] throw in a case of a switch expression", """
            @Differentiable
            static double f(double x, int k) {
              return switch (k) {
                case 0 -> x;
                default -> throw new IllegalArgumentException("k"); // <- here
              };
            }
            """),
        new Rejected("switch expression on a call", "[RadUnsupported] a switch expression whose selector calls a method", """
            static int pick(int k) {
              return k % 2;
            }

            @Differentiable
            static double f(double x, int k) {
              return switch (pick(k)) { // <- here
                case 0 -> x;
                default -> x * x;
              };
            }
            """),
        new Rejected("a class no import makes visible", "[RadUnknownCall] call to Acts.gelu(x), whose body the processor"
            + " does not differentiate: no class Acts is visible to rad here: check the name's spelling and its import", """
            @Differentiable
            static double f(double x) {
              return Acts.gelu(x); // <- here
            }
            """),
        new Rejected("a member class's method, named simply", "[RadUnknownCall] call to Vec.dot(x, x), whose body"
            + " the processor does not differentiate: a method of another class runs as it is", """
            static class Vec {
              static double dot(double[] a, double[] b) {
                return a[0] * b[0];
              }
            }

            @Differentiable
            static double f(double[] x) {
              return Vec.dot(x, x); // <- here
            }
            """),
        new Rejected("try/finally", "[RadUnsupported] try/finally is not supported in a @Differentiable method or the"
            + " methods it calls; write the block's statements and then the finally block's", """
            @Differentiable
            static double f(double x) {
              double r;
              try { // <- here
                r = Math.log(x);
              } finally {
                x = 0;
              }
              return r;
            }
            """),
        new Rejected("Math.max of three", "Math.max takes 2 arguments; nest the calls: Math.max(a, Math.max(b, c))", """
            @Differentiable
            static double f(double x) {
              return x * Math.max(1, 2, 3); // <- here
            }
            """),
        new Rejected("Math.random", "draw the random numbers outside and pass them in", """
            @Differentiable
            static double f(double x) {
              return x * (Math.random() < 0.5 ? 0 : 2); // <- here
            }
            """),
        new Rejected("var without initializer", "[RadUntyped] cannot type var y: it has no initializer", """
            @Differentiable
            static double f(double x) {
              var y; // <- here
              y = x;
              return y;
            }
            """),
        new Rejected("clone of a double[][]", "[RadUnsupported] clone() of a double[][]", """
            @Differentiable
            static double f(double[][] m) {
              double[][] c = m.clone(); // <- here
              return c[0][0];
            }
            """),
        new Rejected("float literal", "[RadUnsupported] the float literal 1.5F is not supported", """
            @Differentiable
            static double f(double x) {
              double y = x * 1.5f; // <- here
              return y;
            }
            """),
        new Rejected("float local", "[RadUnsupported] a local of type float is not supported", """
            @Differentiable
            static double f(double x) {
              float y = 2; // <- here
              return x * y;
            }
            """),
        new Rejected("new Object()", "[RadUnsupported] creating an object (new Object()) is not supported", """
            @Differentiable
            static double f(double x) {
              Object lock = new Object(); // <- here
              return x;
            }
            """),
        new Rejected("non-double return", "[RadSignature] @Differentiable method f must return double, not float", """
            @Differentiable
            static float f(double x) { // <- here
              return (float) x;
            }
            """),
        new Rejected("wrt names a missing parameter", "[RadSignature] wrt names \"z\", but f has no such parameter", """
            @Differentiable(wrt = "z")
            static double f(double x, double y) { // <- here
              return x * y;
            }
            """),
        new Rejected("wrt names an int parameter", "[RadSignature] wrt names \"n\" of type int; only double, double[], double[][] and double[][][] parameters (and DMatrixRMaj) can be differentiated", """
            @Differentiable(wrt = {"x", "n"})
            static double f(double x, int n) { // <- here
              return x * n;
            }
            """),
        new Rejected("nothing to differentiate", "[RadSignature] @Differentiable method f has no parameter of type double", """
            @Differentiable
            static double f(int n) { // <- here
              return n;
            }
            """),
        new Rejected("private field write", "[RadUnsupported] writing the field scale is not supported", """
            private double scale = 2;

            @Differentiable
            double f(double x) {
              scale = x; // <- here
              return scale * x;
            }
            """),
        new Rejected("private class", "[RadInaccessible] the class Model is private, so the generated Rejected_ModelGrad cannot refer to it", """
            private static class Model { // <- here
              @Differentiable
              static double f(double x) {
                return x * x;
              }
            }
            """),
        new Rejected("parameter of an object type", "[RadUnsupported] the parameter names of type java.lang.String[] is not supported", """
            @Differentiable(wrt = "x")
            static double f(double x, String[] names) { // <- here
              return x;
            }
            """),
        // a library that is not on the class path, its class named in full: no "pkg." advice
        new Rejected("full name of a class not on the class path", "no class org.apache.commons.math3.special.Gamma is"
            + " on the class path rad compiles with", """
            @Differentiable
            static double f(double x) {
              return org.apache.commons.math3.special.Gamma.logGamma(x) * x; // <- here
            }
            """),
        // a tester's C idiom: the advice says where the step goes
        new Rejected("post-decrement in a loop condition", "step in the body: while (n > 0) { n--; ... }", """
            @Differentiable
            static double f(double x, int n) {
              double r = x;
              while (n-- > 0) { // <- here
                r = r * x;
              }
              return r;
            }
            """),
        new Rejected("assignment inside an expression", "[RadUnsupported] an assignment inside an expression", """
            @Differentiable
            static double f(double x) {
              double y;
              double z = (y = x * 2) + 1; // <- here
              return y * z;
            }
            """),
        new Rejected("Arrays.fill with a range", "[RadUnsupported] Arrays.fill with a range", """
            @Differentiable
            static double f(double[] a, double x) {
              java.util.Arrays.fill(a, 1, 3, x); // <- here
              return a[1] * a[2];
            }
            """),
        new Rejected("Arrays.fill of a matrix", "[RadUnsupported] Arrays.fill on a double[][]", """
            @Differentiable
            static double f(double[][] m, double[] row) {
              java.util.Arrays.fill(m, row); // <- here
              return m[0][0];
            }
            """),
        new Rejected("Math.fma", "Math.fma with 3 argument(s) is not supported in a @Differentiable method or the methods it calls; write it out as a * b + c", """
            @Differentiable
            static double f(double x, double y) {
              return Math.fma(x, y, 1.0); // <- here
            }
            """),
        new Rejected("Math.IEEEremainder", "Math.IEEEremainder with 2 argument(s) is not supported in a @Differentiable method or the methods it calls; write it out as a - b * Math.rint(a / b)", """
            @Differentiable
            static double f(double x, double y) {
              return Math.IEEEremainder(x, y); // <- here
            }
            """),
        new Rejected("System.arraycopy", "write the copy as a loop, for (int k = 0; k < length; k++)", """
            @Differentiable
            static double f(double[] a) {
              double[] b = new double[a.length];
              System.arraycopy(a, 0, b, 0, a.length); // <- here
              return b[0] * b[1];
            }
            """),
        new Rejected("Arrays.copyOf", "copy a whole array with a.clone() (what copyOf(a, a.length) gives)", """
            @Differentiable
            static double f(double[] a) {
              double[] b = java.util.Arrays.copyOf(a, a.length); // <- here
              return b[0] * b[1];
            }
            """),
        new Rejected("overloads whose gradients clash", "has the parameter types of the gradient of f(double[] x, double[] y) with wrt x, y", """
            @Differentiable(wrt = {"x", "y"})
            static double f(double[] x, double[] y) {
              return x[0] * y[1];
            }

            @Differentiable(wrt = "x")
            static double f(double[] x, double[] y, double[] z) { // <- here
              return x[0] * y[1] * z[2];
            }
            """),
        new Rejected("varargs of ints", "pass the array yourself: sumAt(x, new int[] {0, 2})", """
            static double sumAt(double[] a, int... idx) {
              double s = 0;
              for (int i : idx) {
                s += a[i];
              }
              return s;
            }

            @Differentiable
            static double f(double[] x) {
              return sumAt(x, 0, 2); // <- here
            }
            """),
        new Rejected("break out of a labeled block", "write the block's rest under an if", """
            @Differentiable
            static double f(double[] x) {
              double s = x[0];
              check: {
                if (x[1] > 0) {
                  break check; // <- here
                }
                s *= x[2];
              }
              return s;
            }
            """),
        new Rejected("generic helper", "it is a generic method (it has a type parameter)", """
            static <T> T pick(boolean c, T a, T b) {
              return c ? a : b;
            }

            @Differentiable
            static double f(double[] a, double[] b) {
              double[] p = pick(a[0] > 0, a, b); // <- here
              return p[1];
            }
            """),
        // a tester's ported Gauss-Jordan skipped the pivot row by its reference
        new Rejected("row references compared", "compare the indices the arrays were taken at (for double[] rr = m[r]"
            + " and double[] rp = m[p]: r == p)", """
            @Differentiable
            static double f(double[][] a) {
              double[][] m = new double[2][2];
              double s = 0;
              for (int p = 0; p < 2; p++) {
                double[] rp = m[p];
                for (int r = 0; r < 2; r++) {
                  double[] rr = m[r];
                  if (rr == rp) continue; // <- here
                  s += a[r][p] * rr[0];
                }
              }
              return s;
            }
            """),
        // one error, the parameter's (the wrt naming it is not a second one)
        new Rejected("wrt names a float parameter", "[RadUnsupported] the parameter x of type float", """
            @Differentiable(wrt = "x")
            static double f(float x) { // <- here
              return x * x;
            }
            """));
  }

  /** Every wrong name of a wrt is reported in one compile, not only the first (a tester's report). */
  @Test
  void everyWrongWrtNameIsReported() {
    Rejected c = new Rejected("two wrong wrt names", "", """
        @Differentiable(wrt = {"alpha", "steps"})
        static double f(double a, int steps) { // <- here
          return a * steps;
        }
        """);
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Rejected", c.source());
    Compilation compilation = Compiled.compileExpectingFailure(source);
    assertThat(compilation).hadErrorContaining("wrt names \"alpha\", but f has no such parameter").inFile(source)
        .onLine(c.line());
    assertThat(compilation).hadErrorContaining("wrt names \"steps\" of type int").inFile(source).onLine(c.line());
  }

  /**
   * A package-private method of another class: the message gives both ways out, since making it
   * public only helps where no derivative flows through the call (a tester followed the old
   * advice, "only public static methods", and met a second error).
   */
  @Test
  void anotherClassesHiddenMethodGetsBothWaysOut() {
    JavaFileObject physics = JavaFileObjects.forSourceString("demo.Physics", """
        package demo;
        class Physics {
          static double spring(double x, double k) {
            return -k * x;
          }
        }
        """);
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Osc", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Osc {
          @Differentiable(wrt = "k")
          public static double osc(double k) {
            return Physics.spring(1.0, k);
          }
        }
        """);
    Compilation compilation = Compiled.compileExpectingFailure(physics, source);
    assertThat(compilation).hadErrorContaining("where its arguments carry a derivative it must be differentiated instead:"
        + " move the computation into a method of Osc, write it with Math functions, or declare its derivative with"
        + " @CustomAdjoint").inFile(source).onLine(6);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void rejected(Rejected c) {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Rejected", c.source());
    Compilation compilation = Compiled.compileExpectingFailure(source);
    assertThat(compilation).failed();
    assertThat(compilation).hadErrorContaining(c.message()).inFile(source).onLine(c.line());
    for (Diagnostic<?> d : compilation.diagnostics()) {
      assertThat(d.getMessage(null)).doesNotContain("RadInternal");
    }
  }

  /**
   * A record's accessor has no source for the processor: the message says to read the component's
   * field (a tester met "its source is not available" with no advice).
   */
  @org.junit.jupiter.api.Test
  void aRecordAccessorSaysToReadTheField() {
    Compilation c = Compiled.compileExpectingFailure("demo.Intrinsics", """
        package demo;
        import org.rad.annotations.Differentiable;
        public record Intrinsics(double fx, double fy) {
          @Differentiable(wrt = "x")
          public double f(double x) {
            return fy() * x * x + fx;
          }
        }
        """);
    assertThat(c).hadErrorContaining("[RadUnknownCall] call to fy(), whose body the processor does not differentiate:"
        + " a record's accessor has no source for the processor to read; read the component's field instead (fy rather than fy())");
  }

  /** An enum's this and its constants are not numbers: the message says to select by an int or boolean. */
  @org.junit.jupiter.api.Test
  void anEnumComparisonSaysToSelectByANumber() {
    Compilation c = Compiled.compileExpectingFailure("demo.Act", """
        package demo;
        import org.rad.annotations.Differentiable;
        public enum Act {
          TANH, RELU;
          @Differentiable(wrt = "x")
          public double apply(double x) {
            return this == TANH ? Math.tanh(x) : Math.max(0, x);
          }
        }
        """);
    assertThat(c).hadErrorContaining("[RadUntyped] cannot type TANH: it is neither a local, a parameter nor a field of Act;"
        + " a differentiated method computes with numbers, arrays of them and constants, not with objects or enum"
        + " constants: select the case by an int or boolean (a field or a parameter) instead");
  }
}
