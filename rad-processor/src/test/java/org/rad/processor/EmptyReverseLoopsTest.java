package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * A loop whose trip count is not known from its header (it breaks, or it is a while loop) records
 * that count for its reverse, which runs as many iterations. Where no iteration has anything to
 * undo or differentiate (a barrier scan that sets a flag and breaks), the reverse loop is empty,
 * and neither sweep has it now. Found by a user-style round (a knock-out option over 100 paths:
 * 413 bytes, of which the 13 bytes of the flags' bits are needed).
 */
class EmptyReverseLoopsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Scan {
        @Differentiable(wrt = "x")
        static double barrier(double[] x, double[][] path, double level) {
          double s = 0;
          for (int p = 0; p < path.length; p++) {
            boolean alive = true;
            for (int j = 0; j < path[p].length; j++) {
              if (path[p][j] >= level) { alive = false; break; }
            }
            if (alive) s += x[p] * x[p];
          }
          return s;
        }

        // a while loop searching an interval, then a derivative through what it found
        @Differentiable(wrt = "x")
        static double search(double[] x, double[] knots, double t) {
          double s = 0;
          for (int p = 0; p < x.length; p++) {
            int k = 0;
            while (k < knots.length - 1 && knots[k + 1] < t + p * 0.1) k++;
            s += x[p] * x[p] * (k + 1);
          }
          return s;
        }

        // the same scan, with a derivative inside: its count is still recorded
        @Differentiable(wrt = "x")
        static double scanWithWork(double[] x, double[][] path, double level) {
          double s = 0;
          for (int p = 0; p < path.length; p++) {
            for (int j = 0; j < path[p].length; j++) {
              if (path[p][j] >= level) break;
              s += Math.sin(x[p] * j);
            }
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Scan", SOURCE);
    user = c.load("demo.Scan");
    grad = c.load("demo.ScanGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("barrier", r -> new Object[] {vector(r, 6, -1, 1), matrix(r, 6, 5, 0, 2), 1.5}, 0).points(6),
        of("search", r -> new Object[] {vector(r, 6, -1, 1), new double[] {0, 0.2, 0.5, 0.9, 1.4}, r.nextDouble(0, 1)}, 0)
            .points(6),
        of("scanWithWork", r -> new Object[] {vector(r, 6, -1, 1), matrix(r, 6, 5, 0, 2), 1.5}, 0).points(6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void aScanWithNothingToUndoRecordsOnlyTheFlagsBits() throws Exception {
    Method m = grad.getMethod("barrier", double[].class, double[][].class, double.class, double[].class, RadContext.class);
    int n = 100;
    double[] x = new double[n];
    double[][] path = new double[n][10];
    for (int p = 0; p < n; p++) {
      x[p] = 0.1 * p;
      for (int j = 0; j < 10; j++) {
        path[p][j] = (p * 7 + j * 3) % 13;
      }
    }
    RadContext ctx = RadContext.exact();
    m.invoke(null, x, path, 11.5, new double[n], ctx);
    assertEquals((n + 7) / 8, ctx.peakTapeBytes()); // one bit per path (413 bytes before)
  }
}
