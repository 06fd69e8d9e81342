package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * One compile reports every error of a class: the front end goes on after a rejected statement
 * (and after a rejected method), differentiation after a rejected method; no class is written.
 */
class AllErrorsTest {
  private static List<Diagnostic<? extends JavaFileObject>> errors(Compilation c) {
    return c.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).toList();
  }

  @Test
  void frontEndReportsEveryRejectedStatementOfEveryMethod() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Three", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Three {
          @Differentiable
          static double f(double x) {
            double y = x * 2;
            try {
              y = y + 1;
            } catch (RuntimeException e) {
              y = 0;
            }
            float z = 1;
            double w = z * y;
            return y * w;
          }

          static double helper(double x) {
            do {
              x = x / 2;
            } while (x > 1);
            return x;
          }

          @Differentiable
          static double g(double x) {
            return helper(x) + x;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadUnsupported] try/catch").inFile(source).onLine(7);
    assertThat(c).hadErrorContaining("[RadUnsupported] a local of type float").inFile(source).onLine(12);
    assertThat(c).hadErrorContaining("[RadUnsupported] a do-while loop").inFile(source).onLine(18);
    // the use of the rejected local z (line 13) is not reported again
    assertThat(errors(c)).hasSize(3);
  }

  /**
   * A tester's round: an error inside a rejected do-while loop (a whole row assigned) was reported
   * only once the loop was rewritten. The bodies of rejected loops, try blocks and synchronized
   * blocks are checked in the same compile.
   */
  @Test
  void errorsInsideARejectedStatementAreReportedWithIt() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Inside", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Inside {
          @Differentiable
          static double f(double[][] u, double x) {
            int k = 0;
            do {
              u[0] = u[1];
              k++;
            } while (k < 3);
            try {
              float z = 1;
              x = x * z;
            } finally {
              x = x + 1;
            }
            return x * u[0][0];
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).hadErrorContaining("[RadUnsupported] a do-while loop").inFile(source).onLine(7);
    assertThat(c).hadErrorContaining("assigning a whole row").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("[RadUnsupported] try/finally").inFile(source).onLine(11);
    assertThat(c).hadErrorContaining("[RadUnsupported] a local of type float").inFile(source).onLine(12);
    assertThat(errors(c)).hasSize(4);
  }

  /**
   * Found by a user-style round: a parameter of a type outside the subset ({@code boolean[]}) hid
   * every error of its method's body, and a wrong return type did too; they are now reported
   * together, and the rejected parameter's uses are not reported again.
   */
  @Test
  void aRejectedSignatureDoesNotHideTheBody() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Sig", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Sig {
          @Differentiable(wrt = "x")
          public static double f(double[] x, boolean[] mask) {
            int[][] t = new int[2][2];
            double s = 0;
            for (int i = 0; i < x.length; i++) if (mask[i]) s += x[i];
            float g = 1f;
            return x[0] * t[0][0] * g + s;
          }

          @Differentiable(wrt = "x")
          public static void h(double[] x) {
            float q = 2;
            x[0] = q;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("the parameter mask of type boolean[]").inFile(source).onLine(5);
    assertThat(c).hadErrorContaining("a local of type int[][]").inFile(source).onLine(6);
    assertThat(c).hadErrorContaining("a local of type float").inFile(source).onLine(9);
    assertThat(c).hadErrorContaining("must return double, not void").inFile(source).onLine(14);
    assertThat(c).hadErrorContaining("a local of type float").inFile(source).onLine(15);
    assertThat(errors(c)).hasSize(5);
  }

  @Test
  void conditionsAndLoopHeadersDoNotHideTheirBodies() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Nested", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Nested {
          @Differentiable
          static double f(double x) {
            double s = 0;
            if (x > "a".length()) {
              s = x & 1;
            }
            for (int i = 0; i < 3; i += i--) {
              s = s + x++;
            }
            return s;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadUnknownCall] call to \"a\".length()").inFile(source).onLine(7);
    assertThat(c).hadErrorContaining("the bitwise operator").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("++ or -- inside an expression (i--)").inFile(source).onLine(10);
    assertThat(c).hadErrorContaining("++ or -- inside an expression").inFile(source).onLine(11);
    assertThat(errors(c)).hasSize(4);
  }

  @Test
  void differentiationReportsEveryMethod() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Biased", """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Biased {
          @Differentiable
          static double f(double x) {
            @Randomize(fraction = 0.5)
            double h = Math.sin(x);
            return Math.exp(h);
          }

          @Differentiable
          static double g(double x) {
            @Randomize(fraction = 0.5)
            double h = Math.cos(x);
            return Math.log(h + 2);
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on h").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on h").inFile(source).onLine(15);
    assertThat(errors(c)).hasSize(2);
  }

  @Test
  void aRejectedInitializerDoesNotHideTheStatementsThatUseItsLocal() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Uses", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Uses {
          @Differentiable
          static double f(double[] e) {
            int m = 1;
            double u = e[m++];
            u += e[--m] * e[m];
            double w = e[0];
            w += e[m--];
            return u + w;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("(m++)").inFile(source).onLine(7);
    // u's initializer was rejected, but u is a double: the next statement's own error is reported
    assertThat(c).hadErrorContaining("(--m)").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("(m--)").inFile(source).onLine(10);
    assertThat(errors(c)).hasSize(3);
  }

  /** The fields read from an object local whose creation was rejected are follow-ons, not errors of their own. */
  @Test
  void readsOfARejectedObjectLocalAreNotReportedAgain() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Obj", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Obj {
          record Vec3(double x, double y, double z) {}

          @Differentiable
          static double f(double[] p) {
            Vec3 a = new Vec3(p[0], p[1], p[2]);
            return a.x * a.x + a.y;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("creating an object").inFile(source).onLine(8);
    assertThat(errors(c)).hasSize(1);
  }

  /** Every break that leaves a switch before its case's end, in one compile. */
  @Test
  void everyEarlyBreakOfASwitchIsReported() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Breaks", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Breaks {
          @Differentiable
          static double f(double x, int k) {
            switch (k) {
              case 0:
                if (x > 1) break;
                x = x * 2;
                break;
              default:
                if (x < 0) break;
                x = -x;
            }
            return x;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("a break that leaves a switch before the end of its case").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("a break that leaves a switch before the end of its case").inFile(source).onLine(12);
    assertThat(errors(c)).hasSize(2);
  }

  /** wrt naming a parameter of a type outside the subset: one error, the parameter's. */
  @Test
  void aWrtParameterOfAnUnsupportedTypeIsReportedOnce() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.W4", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class W4 {
          @Differentiable(wrt = "x")
          static double f(double[][][][] x) {
            return x[0][0][0][0] * 2;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadUnsupported] the parameter x of type double[][][][]").inFile(source).onLine(5);
    assertThat(errors(c)).hasSize(1);
  }

  @Test
  void aRecursionIsReportedWithTheFrontEndsErrors() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Rec", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Rec {
          static double rec(double x, int n) { return n <= 1 ? x : x * rec(x, n - 1); }

          @Differentiable
          static double f(double x) {
            do {
              x += 1;
            } while (x < 0);
            return x;
          }

          @Differentiable
          static double g(double x) {
            return rec(x, 3);
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadUnsupported] a do-while loop").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("[RadRecursion] recursive call to rec").inFile(source).onLine(4);
    assertThat(errors(c)).hasSize(2);
  }

  @Test
  void aBiasedSampleInAHelperIsReportedWithTheOtherMethodsErrors() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Samples", """
        package demo;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Samples {
          static double e(double u) {
            return Math.exp(u);
          }

          @Differentiable(wrt = "w")
          static double direct(double[] w) {
            @Randomize(fraction = 0.5) double[] a = w.clone();
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += Math.exp(a[i]);
            }
            return s;
          }

          @Differentiable(wrt = "w")
          static double throughAHelper(double[] w) {
            @Randomize(fraction = 0.5) double[] a = w.clone();
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += e(a[i]);
            }
            return s;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on a").inFile(source).onLine(11);
    assertThat(c).hadErrorContaining("a sampled value passed to e").inFile(source).onLine(21);
    assertThat(errors(c)).hasSize(2);
  }

  /**
   * Differentiation reports every call of another class's method that carries a derivative, in
   * source order: it reported the last only (the first its reverse sweep met), and the next compile
   * the one before.
   */
  @Test
  void everyUnknownCallOfAMethodIsReported() {
    JavaFileObject util = JavaFileObjects.forSourceString("demo.Util", """
        package demo;
        public class Util {
          public static double sq(double v) { return v * v; }
          public static double softplus(double v) { return Math.log1p(Math.exp(v)); }
        }
        """);
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Uses", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Uses {
          @Differentiable
          static double f(double x, double y) {
            double a = Util.sq(x);
            double b = Util.softplus(y);
            double c = Util.sq(y);
            return a * y + b + c;
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source, util);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadUnknownCall] call to Util.sq").inFile(source).onLine(6);
    assertThat(c).hadErrorContaining("[RadUnknownCall] call to Util.softplus").inFile(source).onLine(7);
    assertThat(c).hadErrorContaining("[RadUnknownCall] call to Util.sq").inFile(source).onLine(8);
    assertThat(errors(c)).hasSize(3);
    assertThat(errors(c).get(0).getLineNumber()).isEqualTo(6L);
  }

  /**
   * The front end reports every rejected part of one expression: the operands of an operator and
   * the arguments of a call. It reported the first only, and the next compile the second.
   */
  @Test
  void everyRejectedPartOfAnExpressionIsReported() {
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Parts", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Parts {
          @Differentiable
          static double f(double x, double y) {
            double a = Math.copySign(x, y) + Math.fma(x, y, 1.0);
            boolean b = Math.ulp(x) < Math.scalb(y, 2);
            return a * Math.atan2(Math.IEEEremainder(x, y), Math.nextUp(y)) + (b ? 1 : 0);
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("Math.copySign").inFile(source).onLine(6);
    assertThat(c).hadErrorContaining("Math.fma").inFile(source).onLine(6);
    assertThat(c).hadErrorContaining("Math.ulp").inFile(source).onLine(7);
    assertThat(c).hadErrorContaining("Math.scalb").inFile(source).onLine(7);
    assertThat(c).hadErrorContaining("Math.IEEEremainder").inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("Math.nextUp").inFile(source).onLine(8);
    assertThat(errors(c)).hasSize(6);
  }

  /**
   * A front-end error in one method does not hide what differentiation finds in another that
   * translated cleanly (found by a user-style round: the call of another class's method whose
   * argument carries a derivative was reported only once the assert was removed). A method that
   * calls the rejected one is not differentiated, so nothing follows from the first error.
   */
  @Test
  void aFrontEndErrorDoesNotHideTheDifferentiationsErrorsOfOtherMethods() {
    JavaFileObject util = JavaFileObjects.forSourceString("demo.Util", """
        package demo;
        public class Util {
          public static double sq(double x) {
            return x * x;
          }
        }
        """);
    JavaFileObject source = JavaFileObjects.forSourceString("demo.Hide", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Hide {
          @Differentiable
          static double a(double x) {
            assert x > 0;
            return Math.log(x);
          }

          @Differentiable
          static double b(double x) {
            return Util.sq(x) + x;
          }

          @Differentiable
          static double c(double x) {
            return a(x) + Util.sq(x);
          }
        }
        """);
    Compilation c = Compiled.compileExpectingFailure(util, source);
    assertThat(c).failed();
    assertThat(c).hadErrorContaining("[RadUnsupported] assert").inFile(source).onLine(6);
    assertThat(c).hadErrorContaining("[RadUnknownCall] call to Util.sq").inFile(source).onLine(12);
    assertThat(errors(c)).hasSize(2);
  }
}
