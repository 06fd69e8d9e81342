package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Loops written as C code writes them, one counter declared at the top and reused ({@code int i;
 * i = 1; while (i < n) { ...; i++; } i = n - 2; while (i >= 0) { ...; i--; }}, {@code for (i = 0;
 * ...)}), are the counted loops they stand for (transform/CountedWhileLoops): the same gradient,
 * and the tape of the same code with a counter of its own per loop.
 */
class CStyleLoopsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class CLoops {
        // a tridiagonal (Thomas) solve, one counter for its three loops
        @Differentiable
        public static double thomasReused(double[] a, double[] b, double[] c, double[] d) {
          int n = d.length;
          int i;
          i = 1;
          while (i < n) {
            double w = a[i] / b[i - 1];
            b[i] = b[i] - w * c[i - 1];
            d[i] = d[i] - w * d[i - 1];
            i++;
          }
          d[n - 1] = d[n - 1] / b[n - 1];
          i = n - 2;
          while (i >= 0) {
            d[i] = (d[i] - c[i] * d[i + 1]) / b[i];
            i = i - 1;
          }
          double s = 0;
          for (i = 0; i < n; i += 1) s += d[i] * (i + 1);
          return s;
        }

        @Differentiable
        public static double thomasOwn(double[] a, double[] b, double[] c, double[] d) {
          int n = d.length;
          for (int i = 1; i < n; i++) {
            double w = a[i] / b[i - 1];
            b[i] = b[i] - w * c[i - 1];
            d[i] = d[i] - w * d[i - 1];
          }
          d[n - 1] = d[n - 1] / b[n - 1];
          for (int i = n - 2; i >= 0; i--) d[i] = (d[i] - c[i] * d[i + 1]) / b[i];
          double s = 0;
          for (int i = 0; i < n; i++) s += d[i] * (i + 1);
          return s;
        }

        // the counter read after its loop: it stays a while loop, and the gradient is right
        @Differentiable
        public static double readAfter(double[] x) {
          int i = 0;
          double s = 0;
          while (i < x.length && x[i] < 2) {
            s += x[i] * x[i];
            i++;
          }
          return s + i;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.CLoops", SOURCE);
    user = c.load("demo.CLoops");
    grad = c.load("demo.CLoopsGrad");
  }

  static Object[] tridiagonal(java.util.SplittableRandom r, int n) {
    double[] b = vector(r, n, 3, 4);
    return new Object[] {vector(r, n, -1, 1), b, vector(r, n, -1, 1), vector(r, n, -1, 1)};
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("thomasReused", r -> tridiagonal(r, 6), 0, 1, 2, 3),
        of("thomasOwn", r -> tridiagonal(r, 6), 0, 1, 2, 3),
        of("readAfter", r -> new Object[] {vector(r, 6, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** n = 50: as with a counter per loop (a tester's form recorded 264 bytes at n = 8 against 128). */
  @Test
  void aReusedCounterRecordsWhatCountersOfTheirOwnRecord() throws Exception {
    java.util.function.Supplier<Object[]> args = () -> {
      Object[] abcd = tridiagonal(new java.util.SplittableRandom(9), 50);
      return new Object[] {abcd[0], abcd[1], abcd[2], abcd[3], new double[50], new double[50], new double[50],
          new double[50]};
    };
    assertEquals(LateRecomputationTest.tape(grad, "thomasOwn", args), LateRecomputationTest.tape(grad, "thomasReused", args));
  }
}
