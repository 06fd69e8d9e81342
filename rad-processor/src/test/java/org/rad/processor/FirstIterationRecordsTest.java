package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * Found by a user-style round (linear algebra): a back substitution {@code z[i] -= u[i][k] *
 * z[k]} over {@code k}, after a read of {@code z}, recorded {@code z[i]} at every {@code k}:
 * 10,224 bytes at n = 50 where 400 are needed. Only the first iteration's record is needed: the
 * reads that want the element were pending before the loop, and its restore, the last of the
 * loop's reverse, gives it back to them. So an element overwrite at a location the loop does not
 * move, the loop's only writer of the array, none of whose own reads can meet the element, now
 * records where the index is at its start ({@code if (k == i + 1) ctx.pushDouble(z[i])}). Where
 * a read in the loop meets the element, every iteration records as before.
 */
class FirstIterationRecordsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Tri {
        @Differentiable(wrt = {"u", "b"})
        public static double backSubstitution(double[][] u, double[] b) {
          int n = b.length;
          double[] z = b.clone();
          double q = 0;
          for (int i = 0; i < n; i++) q += z[i] * z[i];
          for (int i = n - 1; i >= 0; i--) {
            for (int k = i + 1; k < n; k++) {
              z[i] -= u[i][k] * z[k];
            }
          }
          for (int i = 0; i < n; i++) q += z[i] * z[i] * (i + 1);
          return q;
        }

        // the loop reads the element it overwrites: every iteration records
        @Differentiable(wrt = {"u", "b"})
        public static double readInTheLoop(double[][] u, double[] b) {
          int n = b.length;
          double[] z = b.clone();
          double q = 0;
          for (int i = 0; i < n; i++) q += z[i] * z[i];
          for (int i = n - 1; i >= 0; i--) {
            for (int k = i + 1; k < n; k++) {
              q += z[i] * u[k][i];
              z[i] -= u[i][k] * z[k];
            }
          }
          for (int i = 0; i < n; i++) q += z[i] * z[i];
          return q;
        }

        // the reader is in an enclosing loop, and the inner loop may not run
        @Differentiable(wrt = "w")
        public static double enclosingReader(double[] w, int steps) {
          int n = w.length;
          double[] a = w.clone();
          double s = 0;
          for (int t = 0; t < steps; t++) {
            for (int i = 0; i < n; i++) {
              s += a[i] * a[i] * w[i];
              for (int k = 0; k < i; k++) {
                a[i] = 0.5 * a[i] + 0.1 * w[k];
              }
            }
          }
          return s + a[0] * a[n - 1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Tri", SOURCE);
    user = c.load("demo.Tri");
    grad = c.load("demo.TriGrad");
    generated = c.generatedSource("demo.TriGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("backSubstitution", r -> new Object[] {matrix(r, 6, 6, -0.5, 0.5), vector(r, 6, -1, 1)}, 0, 1),
        of("readInTheLoop", r -> new Object[] {matrix(r, 5, 5, -0.5, 0.5), vector(r, 5, -1, 1)}, 0, 1),
        of("enclosingReader", r -> new Object[] {vector(r, 5, 0.2, 1.2), 3}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** At n = 50: one double per row for z, against one per (row, column) pair before. */
  @Test
  void oneRecordPerRow() throws Exception {
    Method m = grad.getMethod("backSubstitution", double[][].class, double[].class, double[][].class, double[].class,
        RadContext.class);
    long[] tapes = new long[2];
    int[] sizes = {25, 50};
    for (int k = 0; k < 2; k++) {
      int n = sizes[k];
      RadContext ctx = RadContext.exact();
      m.invoke(null, new double[n][n], new double[n], new double[n][n], new double[n], ctx);
      tapes[k] = ctx.peakTapeBytes();
    }
    // (the rest grows with n too: the hand-off of z's reference and clone)
    assertTrue(tapes[1] - tapes[0] <= 25 * 8 + 25 * 8 + 64, tapes[0] + " -> " + tapes[1]);
    String forward = Compiled.method(generated, "static double backSubstitutionForward");
    assertTrue(forward.contains("if (k == i2 + 1) {"), forward);
    String read = Compiled.method(generated, "static double readInTheLoopForward");
    assertFalse(read.contains("if (k =="), read);
  }
}
