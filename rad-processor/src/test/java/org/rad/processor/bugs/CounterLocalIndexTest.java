package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by a tester of the record planner (ten programs, one cause; wrong in every build before):
 * a loop body declares an {@code int} local from a counter the reverse sweep undoes ({@code int i =
 * w; v[i + 1] = ...; w++;}), and writes an element at that local's index. The local is recomputed
 * in the reverse of its last reader, but that was placed after the reader's restore, whose
 * location reads it: the restore wrote the old value into the element a later iteration's
 * {@code i} named, and the gradient was wrong (in a {@code while} loop, a counted {@code for} with
 * a second counter, a helper, a nested loop, a matrix row). It is now recomputed before the
 * restore ({@code SweepBuilder.locatedBy}).
 */
class CounterLocalIndexTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class CounterLocal {
        @Differentiable(wrt = "v")
        public static double whileLocal(double[] v) {
          int w = 0;
          while (w < 2) {
            int i = w;
            v[i + 1] = v[2] * v[0];
            w++;
          }
          return v[1] * v[2];
        }

        @Differentiable(wrt = "v")
        public static double forCounter(double[] v) {
          int c = 1;
          for (int t = 0; t < 2; t++) {
            int i = c;
            v[i] = v[2] * v[0];
            c++;
          }
          return v[1] * v[2];
        }

        @Differentiable(wrt = {"x", "v"})
        public static double readThenOverwrite(double[] x, double[] v) {
          int w = 0;
          double s = 0;
          while (w < 2) {
            int i = w;
            s += v[i + 1] * v[i + 1];
            v[i + 1] = 0.5 * x[0];
            w++;
          }
          return s + v[1] * v[2];
        }

        static double helper(double[] a, double t) {
          int w = 0;
          while (w < 2) {
            int i = w;
            a[i + 1] = a[2] * a[0] * t;
            w++;
          }
          return a[1] * a[2];
        }

        @Differentiable(wrt = {"x", "v"})
        public static double inHelper(double[] x, double[] v) {
          return helper(v, x[0]);
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("bugs.CounterLocal", SOURCE);
    user = c.load("bugs.CounterLocal");
    grad = c.load("bugs.CounterLocalGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("whileLocal", r -> new Object[] {vector(r, 4, 0.1, 0.9)}, 0),
        of("forCounter", r -> new Object[] {vector(r, 4, 0.1, 0.9)}, 0),
        of("readThenOverwrite", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 4, 0.1, 0.9)}, 0, 1),
        of("inHelper", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 4, 0.1, 0.9)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
