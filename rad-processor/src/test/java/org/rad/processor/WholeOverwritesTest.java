package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * A buffer overwritten in full (zeroed, or set from inputs) and then accumulated into by linear
 * updates ({@code q[i] = q[i] + ...}, {@code q[i] += ...}) is recorded once per overwrite of the
 * whole, not once per update: the full overwrite's restore re-establishes every element for
 * the reverse-sweep reads before it. Variants: bound from the allocation size or from
 * {@code .length}, a helper that fills its output parameter, and a loop whose reverse reads the
 * buffer (which keeps the per-update records).
 */
class WholeOverwritesTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Buffers {
        @Differentiable(wrt = "q")
        static double zeroThenAccumulate(double[] q, double[][] xs, int d) {
          double total = 0;
          double[] qx = new double[d];
          for (int n = 0; n < xs.length; n++) {
            double[] x = xs[n];
            for (int i = 0; i < d; i++) qx[i] = 0;
            for (int i = 0; i < d; i++)
              for (int j = 0; j < d; j++)
                qx[i] = qx[i] + q[i * d + j] * x[j];
            double s = 0;
            for (int i = 0; i < d; i++) s += qx[i] * qx[i];
            total += Math.log(1 + s);
          }
          return total;
        }

        static void times(double[] q, double[] x, double[] out) {
          for (int i = 0; i < out.length; i++) out[i] = q[i] * x[i];
          for (int i = 0; i < out.length; i++)
            for (int j = 0; j < i; j++)
              out[i] += q[out.length + i * out.length + j] * x[j];
        }

        @Differentiable(wrt = "q")
        static double viaHelper(double[] q, double[][] xs) {
          int d = xs[0].length;
          double[] out = new double[d];
          double total = 0;
          for (double[] x : xs) {
            times(q, x, out);
            for (int i = 0; i < d; i++) total += Math.sin(out[i]) * out[i];
          }
          return total;
        }

        // out[0..d) overwritten, then linear updates of out[j] for j in (i, d): out's other
        // elements are never written, so the first loop's records cover every update
        static void lower(double[] l, double[] x, double[] out, int d) {
          for (int i = 0; i < d; i++) out[i] = l[i] * x[i];
          int k = d;
          for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
              out[j] = out[j] + l[k] * x[i];
              k++;
            }
          }
        }

        @Differentiable(wrt = "l")
        static double triangular(double[] l, double[][] xs, int d) {
          double[] out = new double[d + 2];
          out[d + 1] = 3;
          double total = 0;
          for (double[] x : xs) {
            lower(l, x, out, d);
            for (int i = 0; i < d + 2; i++) total += Math.sin(out[i]) * out[i];
          }
          return total;
        }

        @Differentiable(wrt = "q")
        static double readsInTheLoop(double[] q, double[][] xs) {
          int d = xs[0].length;
          double[] a = new double[d];
          double total = 0;
          for (double[] x : xs) {
            for (int i = 0; i < a.length; i++) {
              a[i] = q[i] * x[i];
              total += a[i] * a[i];
            }
            for (int i = 0; i < d; i++) a[i] *= q[i];
            for (int i = 0; i < d; i++) total += a[i] * a[i] * x[i];
          }
          return total;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Buffers", SOURCE);
    user = c.load("demo.Buffers");
    grad = c.load("demo.BuffersGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("zeroThenAccumulate", r -> new Object[] {vector(r, 16, -1, 1), matrix(r, 5, 4, -1, 1), 4}, 0),
        of("viaHelper", r -> new Object[] {vector(r, 20, -1, 1), matrix(r, 5, 4, -1, 1)}, 0),
        of("readsInTheLoop", r -> new Object[] {vector(r, 4, -1, 1), matrix(r, 5, 4, -1, 1)}, 0),
        of("triangular", r -> new Object[] {vector(r, 10, -1, 1), matrix(r, 5, 4, -1, 1), 4}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * Per example, lower records out[0..d) once (d values) and nothing per linear update (that
   * was d (d - 1) / 2 more), plus the counter k's final value (an int, which its reverse counts
   * down from): the tape grows by 8 d + 4 bytes per example.
   */
  @Test
  void linearUpdatesBelowTheOverwrittenBoundRecordNothing() throws Exception {
    int d = 10;
    long[] tape = new long[2];
    for (int v = 0; v < 2; v++) {
      int examples = 20 * (v + 1);
      RadContext ctx = RadContext.exact();
      int n = d + d * (d - 1) / 2;
      grad.getDeclaredMethod("triangular", double[].class, double[][].class, int.class, double[].class, RadContext.class)
          .invoke(null, new double[n], new double[examples][d], d, new double[n], ctx);
      tape[v] = ctx.peakTapeBytes();
    }
    assertEquals(20L * (8 * d + 4), tape[1] - tape[0], "bytes per 20 more examples");
  }

  /**
   * Per example: the d old values of qx before it is zeroed, and s; then the hand-off of qx's
   * reference, s, and qx itself (held only by the tape): no record per update (that was N d^2).
   */
  @Test
  void theAccumulatorIsRecordedOncePerExample() throws Exception {
    int d = 10, examples = 50;
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("zeroThenAccumulate", double[].class, double[][].class, int.class, double[].class,
        RadContext.class).invoke(null, new double[d * d], new double[examples][d], d, new double[d * d], ctx);
    assertEquals(8L * examples * (d + 1) + 8 + 8 + (16 + 8L * d), ctx.peakTapeBytes());
  }
}
