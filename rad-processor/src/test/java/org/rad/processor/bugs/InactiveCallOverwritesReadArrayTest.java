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
 * A call whose arguments carry no derivative runs as it is, but when it writes into an array that
 * earlier partial derivatives read, nothing recorded the old contents: {@code t = x * x * d[0];
 * bump(d, 0.5);} gave 2x (d0 + 0.5) instead of 2x d0. The record planner now records the written
 * arrays whole before such a call when the reverse sweep reads their old contents.
 */
class InactiveCallOverwritesReadArrayTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Bump {
        static void bump(double[] d, double c) {
          d[0] += c;
        }

        // the bug report
        @Differentiable(wrt = {"x"})
        public static double f(double[] d, double x) {
          double t = x * x * d[0];
          bump(d, 0.5);
          return t;
        }

        // a local array, the call in a loop that may stop early
        @Differentiable(wrt = {"x"})
        public static double loop(double[] d, double x) {
          double[] w = d.clone();
          double s = 0;
          for (int k = 0; k < 4; k++) {
            s += x * w[0] * w[1];
            bump(w, 0.25 * k);
            if (w[0] > 2) break;
          }
          return s;
        }

        // writes through a row reference into a matrix whose rows the partials read
        static void bumpRow(double[][] m, int i) {
          double[] row = m[i];
          for (int j = 0; j < row.length; j++) row[j] = row[j] * 2 + 1;
        }

        @Differentiable(wrt = {"x"})
        public static double matrix(double[][] m, double x) {
          double t = Math.sin(x * m[1][0]) * m[0][1];
          bumpRow(m, 1);
          bumpRow(m, 0);
          return t + x * m[1][1];
        }

        // an index array permuted after it chose the weights
        static void rotate(int[] idx) {
          int first = idx[0];
          for (int k = 0; k + 1 < idx.length; k++) idx[k] = idx[k + 1];
          idx[idx.length - 1] = first;
        }

        @Differentiable(wrt = {"w"})
        public static double indices(double[] w, int[] idx) {
          double s = w[idx[0]] * w[idx[1]];
          rotate(idx);
          return s + w[idx[0]];
        }

        // the call's result is used, but carries no derivative; the caller's array is written
        static double drain(double[] d) {
          double s = d[0] + d[1];
          d[0] = 0;
          d[1] = 0;
          return s;
        }

        @Differentiable(wrt = {"x"})
        public static double withResult(double[] d, double x) {
          double t = Math.exp(x * d[1]);
          double s = drain(d);
          return t * s;
        }

        // a helper that is differentiated, whose own call runs as it is on a local array
        static double inner(double[] d, double x) {
          double[] w = d.clone();
          double t = x * x * w[0];
          bump(w, 1.0);
          return t * w[0];
        }

        @Differentiable(wrt = {"x"})
        public static double nested(double[] d, double x) {
          double u = x * d[1];
          double v = inner(d, x);
          return u + v * d[0];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Bump", SOURCE);
    user = c.load("demo.Bump");
    grad = c.load("demo.BumpGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("f", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(-2, 2)}, 1),
        of("loop", r -> new Object[] {vector(r, 2, -1, 1.5), r.nextDouble(-2, 2)}, 1).points(10),
        of("matrix", r -> new Object[] {matrix(r, 2, 2, -1, 1), r.nextDouble(-2, 2)}, 1),
        of("indices", r -> new Object[] {vector(r, 4, -2, 2), new int[] {r.nextInt(4), r.nextInt(4), r.nextInt(4)}}, 0),
        of("withResult", r -> new Object[] {vector(r, 2, -1, 1), r.nextDouble(-1, 1)}, 1),
        of("nested", r -> new Object[] {vector(r, 2, -2, 2), r.nextDouble(-2, 2)}, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void bugReport() {
    // t = x^2 d0 with d0 as it was before bump: d/dx = 2 x d0 = 20 at d0 = 2, x = 5
    of("f", r -> null, 1).harness(user, grad)
        .checkClosedForm(new Object[] {new double[] {2, 3}, 5.0}, new double[] {20}, 1e-15);
  }
}
