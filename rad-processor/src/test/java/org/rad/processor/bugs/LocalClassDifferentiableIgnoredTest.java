package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import javax.tools.Diagnostic;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.rad.processor.LocalClassCheck;
import org.rad.processor.RadProcessor;

/**
 * Bug: {@code @Differentiable} on a method of a local or anonymous class was silently ignored
 * (javac never lists such methods to processors) and no gradient class was written. It is now an
 * error at the method's line that says where to declare the class instead. The processors run as
 * a build runs them: both {@code RadProcessor} and {@code LocalClassCheck}, found by the service
 * loader.
 */
class LocalClassDifferentiableIgnoredTest {
  private static final String MESSAGE = "its class is declared inside a method (a local or anonymous class)";

  private static Compilation compile(JavaFileObject source) {
    return Compiler.javac().withProcessors(new RadProcessor(), new LocalClassCheck()).compile(source);
  }

  @Test
  void localAnonymousAndNestedInLocalAreErrorsAtTheirLines() {
    JavaFileObject source = JavaFileObjects.forSourceLines("demo.Hidden",
        "package demo;",                                              // 1
        "import org.rad.annotations.Differentiable;",                 // 2
        "import java.util.function.DoubleUnaryOperator;",             // 3
        "public class Hidden {",                                      // 4
        "  static double run(double x) {",                            // 5
        "    class Model {",                                          // 6
        "      @Differentiable",                                      // 7
        "      static double f(double y) { return y * y; }",          // 8
        "      static class Inner {",                                 // 9
        "        @Differentiable static double g(double y) {",        // 10
        "          return 3 * y;",                                    // 11
        "        }",                                                  // 12
        "      }",                                                    // 13
        "    }",                                                      // 14
        "    Object o = new Object() {",                              // 15
        "      @org.rad.annotations.Differentiable",                  // 16
        "      double h(double y) { return y; }",                     // 17
        "    };",                                                     // 18
        "    return Model.f(x) + Model.Inner.g(x);",                  // 19
        "  }",                                                        // 20
        "  static final DoubleUnaryOperator OP = v -> {",             // 21
        "    record R(double a) {",                                   // 22
        "      @Differentiable double k(double b) { return a * b; }", // 23
        "    }",                                                      // 24
        "    return new R(v).k(v);",                                  // 25
        "  };",                                                       // 26
        "}");
    Compilation c = compile(source);
    assertThat(c).failed();
    for (int line : new int[] {8, 10, 17, 23}) {
      assertThat(c).hadErrorContaining("[RadInaccessible]").inFile(source).onLine(line);
    }
    assertThat(c).hadErrorContaining("@Differentiable on f has no effect: " + MESSAGE).inFile(source).onLine(8);
    assertThat(c).hadErrorContaining("declare the class as a (static) member class or a top-level class");
    assertThat(c.errors()).hasSize(4);
  }

  @Test
  void memberClassesAndAnotherDifferentiableAreNotErrors() {
    // Member classes are listed by javac and differentiated; an unrelated annotation of the same
    // simple name on a local class's method is none of rad's business.
    JavaFileObject other = JavaFileObjects.forSourceString("other.Differentiable",
        "package other; public @interface Differentiable {}");
    JavaFileObject source = JavaFileObjects.forSourceLines("demo.Fine",
        "package demo;",
        "import other.Differentiable;",
        "public class Fine {",
        "  static class Member {",
        "    @org.rad.annotations.Differentiable",
        "    static double f(double y) { return y * y; }",
        "  }",
        "  static double run(double x) {",
        "    class Local {",
        "      @Differentiable double g(double y) { return y; }",
        "    }",
        "    return new Local().g(x) + Member.f(x);",
        "  }",
        "}");
    Compilation c = Compiler.javac().withProcessors(new RadProcessor(), new LocalClassCheck()).compile(other, source);
    assertThat(c).succeededWithoutWarnings();
    assertThat(c.generatedSourceFiles().stream().map(f -> f.getName()).toList().toString()).contains("Fine_MemberGrad");
    assertThat(c.diagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR).count()).isEqualTo(0);
  }
}
