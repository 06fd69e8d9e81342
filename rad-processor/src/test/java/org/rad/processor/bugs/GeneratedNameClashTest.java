package org.rad.processor.bugs;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by a user-style test: an entry named like a helper's sweep (an entry fForward beside a
 * helper f, an entry adjReverse beside a helper adj) gave generated code javac rejected (the
 * method is already defined), and a generated class whose name is taken (CGrad beside C; Outer.Foo
 * and a top-level Outer_Foo) was an "internal error, please report". Helpers whose names would
 * clash take the next base name (f2Forward); the taken class name is a [RadSignature] error that
 * says to rename one of them.
 */
class GeneratedNameClashTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Clash {
        static double f(double[] x, double[] y) {
          return x[0] * y[1];
        }

        static void adj(double[] p, double q) {
          p[0] = p[0] * q;
        }

        @Differentiable(wrt = "x")
        static double fForward(double[] x) {
          return f(x, x) + Math.sin(x[1]);
        }

        @Differentiable(wrt = "p")
        static double adjReverse(double[] p, double q) {
          double[] c = p.clone();
          adj(c, q);
          return c[0] * c[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Clash", SOURCE);
    user = c.load("demo.Clash");
    grad = c.load("demo.ClashGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("fForward", r -> new Object[] {vector(r, 2, -1, 1)}, 0),
        of("adjReverse", r -> new Object[] {vector(r, 2, -1, 1), r.nextDouble(0.5, 2)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void aTakenGeneratedClassNameIsAClearError() {
    Compilation c = com.google.testing.compile.Compiler.javac().withProcessors(new org.rad.processor.RadProcessor())
        .compile(JavaFileObjects.forSourceString("demo.C", """
            package demo;
            import org.rad.annotations.Differentiable;
            public class C {
              @Differentiable
              static double f(double x) {
                return x * x;
              }
            }
            """), JavaFileObjects.forSourceString("demo.CGrad", """
            package demo;
            public class CGrad {
            }
            """));
    assertThat(c).hadErrorContaining("[RadSignature] the class rad generates for C, demo.CGrad, cannot be written");
  }
}
