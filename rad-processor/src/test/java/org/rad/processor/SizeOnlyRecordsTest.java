package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * A fresh array local (every value a new array only it reaches) whose arrays the reverse sweep
 * reads nothing of but their size, for the zeros of their adjoints, records only that size where
 * it lets an array go (PushPlanner.lengthKey, {@code ctx.pushFreshLength}), and hands over only
 * that size at the end, nothing where it is a literal. An array argument a callee's reverse sweep
 * never reaches is passed as null there (ClassDifferentiator.unreadArgumentsOf), so the caller need
 * not keep it. Where the reverse sweep does read an array (a product, a length in the callee's
 * reverse, an instance helper's argument), the array is kept as before.
 */
class SizeOnlyRecordsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Stages {
        final double rate;

        public Stages(double rate) {
          this.rate = rate;
        }

        // a scratch array used linearly: its reverse needs only zeros of its size
        static double linear(double[] c) {
          double[] b = new double[64];
          for (int i = 0; i < 64; i++) {
            b[i] = 2 * c[i % c.length];
          }
          return b[0] + b[63];
        }

        @Differentiable(wrt = "c")
        static double scratch(double[] c, int calls) {
          double s = 0;
          for (int k = 0; k < calls; k++) {
            s += linear(c);
          }
          return s * s;
        }

        static double[] rhs(double[] p, double[] y) {
          double[] d = new double[2];
          d[0] = p[0] * y[0] - p[1] * y[0] * y[1];
          d[1] = p[2] * y[0] * y[1] - p[3] * y[1];
          return d;
        }

        // its reverse never reaches k: passed null
        static double[] axpy(double[] y, double h, double[] k) {
          double[] r = new double[y.length];
          for (int i = 0; i < y.length; i++) {
            r[i] = y[i] + h * k[i];
          }
          return r;
        }

        // its reverse reads k's length (the loop bound): k is passed
        static double[] axpyByK(double[] y, double h, double[] k) {
          double[] r = new double[k.length];
          for (int i = 0; i < k.length; i++) {
            r[i] = y[i] + h * k[i];
          }
          return r;
        }

        // an instance helper: its arguments are counted after the receiver; reads x, not out
        double[] scaled(double[] out, double[] x) {
          double[] r = new double[x.length];
          for (int i = 0; i < x.length; i++) {
            r[i] = out[i] + rate * x[i] * x[i];
          }
          return r;
        }

        @Differentiable(wrt = "p")
        static double rk4(double[] p, double[] y0, int steps, double h) {
          double[] y = y0.clone();
          double l = 0;
          for (int s = 0; s < steps; s++) {
            double[] k1 = rhs(p, y);
            double[] k2 = rhs(p, axpy(y, h / 2, k1));
            double[] k3 = rhs(p, axpyByK(y, h / 2, k2));
            double[] k4 = rhs(p, axpy(y, h, k3));
            for (int i = 0; i < 2; i++) {
              y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            }
            l += (y[0] - 1) * (y[0] - 1);
          }
          return l * h;
        }

        // a stage read non-linearly afterwards: its arrays are kept
        @Differentiable(wrt = "p")
        static double stageReadBack(double[] p, double[] y0, int steps) {
          double[] y = y0.clone();
          double l = 0;
          for (int s = 0; s < steps; s++) {
            double[] k = rhs(p, y);
            for (int i = 0; i < 2; i++) {
              y[i] += 0.01 * k[i];
            }
            l += k[0] * k[1];
          }
          return l + y[0];
        }

        // a scratch array walked by its own length: the bound reads the length alone
        @Differentiable(wrt = "x")
        static double lengthBound(double[] x, int reps) {
          double loss = 0;
          for (int n = 0; n < reps; n++) {
            double[] g = new double[x.length];
            for (int k = 0; k < x.length; k++) {
              g[k] = x[k] * x[k] * (n + 1);
            }
            for (int k = 0; k < g.length; k++) {
              loss += g[k];
            }
          }
          return loss;
        }

        @Differentiable(wrt = "a")
        double instance(double[] a, int steps) {
          double[] x = a.clone();
          double[] acc = new double[a.length];
          for (int s = 0; s < steps; s++) {
            double[] next = scaled(acc, x);
            acc = next;
            x[0] = x[0] * 0.9 + acc[1] * 0.01;
          }
          return acc[0] + acc[1] * x[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Stages", SOURCE);
    user = c.load("demo.Stages");
    grad = c.load("demo.StagesGrad");
    generated = c.generatedSource("demo.StagesGrad");
  }

  static Stream<GradientCase> cases() throws Exception {
    Object receiver = user.getDeclaredConstructor(double.class).newInstance(0.3);
    return Stream.of(
        of("scratch", r -> new Object[] {vector(r, 3, -1, 1), 5}, 0),
        of("rk4", r -> new Object[] {vector(r, 4, 0.2, 1.2), vector(r, 2, 0.5, 2), 6, 0.05}, 0),
        of("stageReadBack", r -> new Object[] {vector(r, 4, 0.2, 1.2), vector(r, 2, 0.5, 2), 5}, 0),
        of("lengthBound", r -> new Object[] {vector(r, 4, -1, 1), 3}, 0),
        of("instance", r -> new Object[] {receiver, vector(r, 2, -1, 1), 4}, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  static String method(String name) {
    return Compiled.method(generated, name);
  }

  /** The scratch array of a helper is neither kept nor sized on the tape (its size is a literal): nothing per call. */
  @Test
  void aLinearScratchArrayRecordsNothing() throws Exception {
    assertFalse(method("static double linearForward").contains("ctx.push"), method("static double linearForward"));
    assertTrue(method("static void linearReverse").contains("bBar = new double[64];"), method("static void linearReverse"));
    assertEquals(0, scratchTape(40) - scratchTape(20));
  }

  /**
   * A loop bounded by g.length reads g's length from gBar in the reverse sweep: each overwrite of g
   * records 4 bytes (its length), not the array kept to the end (16 + 8 x 10 and a reference).
   */
  @Test
  void aLoopBoundedByAScratchArraysLengthRecordsThatLength() throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("lengthBound", double[].class, int.class, double[].class, RadContext.class)
        .invoke(null, new double[10], 20, new double[10], ctx);
    assertEquals(20 * 4 + 4, ctx.peakTapeBytes());
    assertTrue(method("static void lengthBoundReverse").contains("gBar.length - 1"), method("static void lengthBoundReverse"));
  }

  static long scratchTape(int calls) throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("scratch", double[].class, int.class, double[].class, RadContext.class)
        .invoke(null, new double[] {1, 2, 3}, calls, new double[3], ctx);
    return ctx.peakTapeBytes();
  }

  /**
   * k1, k3 and k4 are read by nothing but linear combinations and axpy's reverse, which never
   * reaches its k: only their lengths are recorded. k2 goes to axpyByK, whose reverse reads
   * k.length: its arrays are kept. The axpy results are read by rhs's products: kept.
   */
  @Test
  void stagesRecordTheirSizeUnlessTheReverseSweepReadsThem() {
    String forward = method("static double rk4Forward");
    assertTrue(forward.contains("ctx.pushFreshLength(k1);"), forward);
    assertTrue(forward.contains("ctx.pushFreshRef(k2);"), forward);
    assertTrue(forward.contains("ctx.pushFreshLength(k3);"), forward);
    assertTrue(forward.contains("ctx.pushFreshLength(k4);"), forward);
    assertTrue(forward.contains("ctx.pushFreshRef(axpyResult);"), forward);
    String reverse = method("static void rk4Reverse");
    assertTrue(reverse.contains("axpyReverse(y, h / 2, null, "), reverse);
    // (and its y, which it never reaches, is null)
    assertTrue(reverse.contains("axpyByKReverse(null, h / 2, k2, "), reverse);
    String readBack = method("static double stageReadBackForward");
    assertTrue(readBack.contains("ctx.pushFreshRef(k);"), readBack);
  }
}
