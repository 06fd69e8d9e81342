package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * A call whose scalar argument reads an array that the same call writes ({@code addSquare(a, a[0]
 * * x)}): the reverse sweep re-evaluated the argument after the call had changed {@code a}, and
 * gave 2040 instead of 40. Such an argument now goes into a local of its own before the call, which
 * the reverse sweep reads as it was.
 */
class ArgumentReadsArrayTheCallWritesTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Args {
        static void addSquare(double[] dst, double p) {
          for (int i = 0; i < dst.length; i++) dst[i] += p * p;
        }

        // the bug report
        @Differentiable(wrt = {"x"})
        public static double h(double[] a, double x) {
          addSquare(a, a[0] * x);
          return a[1];
        }

        // a local array, differentiated too
        @Differentiable(wrt = {"a", "x"})
        public static double local(double[] a, double x) {
          double[] b = a.clone();
          addSquare(b, b[0] * x + b[2]);
          return b[1] * b[0];
        }

        // a row of a matrix, written through the row the call gets
        @Differentiable(wrt = {"m", "x"})
        public static double row(double[][] m, double x) {
          addSquare(m[1], m[1][0] * x);
          return m[1][1] + m[0][0];
        }

        // the argument's branch depends on what the call writes
        @Differentiable(wrt = {"a", "x"})
        public static double branch(double[] a, double x) {
          addSquare(a, a[0] > 0.5 ? x * a[1] : 2 * x);
          return a[0] * a[1];
        }

        // an index argument read from what the call writes
        static double addAt(double[] dst, int k, double p) {
          dst[0] = dst[0] + 1.5;
          dst[k] *= p;
          return dst[k];
        }

        @Differentiable(wrt = {"a", "x"})
        public static double index(double[] a, double x) {
          double r = addAt(a, (int) a[0], x * a[1]);
          return r + a[2];
        }

        // in a loop that may stop early
        @Differentiable(wrt = {"a", "x"})
        public static double loop(double[] a, double x) {
          for (int k = 0; k < 3; k++) {
            addSquare(a, a[k] * x);
            if (a[2] > 6) break;
          }
          return a[0] + a[2];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Args", SOURCE);
    user = c.load("demo.Args");
    grad = c.load("demo.ArgsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("h", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(-2, 2)}, 1),
        of("local", r -> new Object[] {vector(r, 3, -2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("row", r -> new Object[] {matrix(r, 2, 2, -2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("branch", r -> new Object[] {vector(r, 2, 0, 1), r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("index", r -> new Object[] {new double[] {r.nextDouble(-0.4, 2.9), r.nextDouble(-2, 2), r.nextDouble(-2, 2)},
            r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("loop", r -> new Object[] {vector(r, 3, -1.5, 1.5), r.nextDouble(-2, 2)}, 0, 1).points(10)
            .tolerance(1e-6, 1e-5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void bugReport() {
    // h = a1 + (a0 x)^2: d/dx = 2 a0^2 x = 40 at a = {2, 3}, x = 5
    of("h", r -> null, 1).harness(user, grad)
        .checkClosedForm(new Object[] {new double[] {2, 3}, 5.0}, new double[] {40}, 1e-15);
  }
}
