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

/**
 * Helpers that return a new array of their own (a right-hand side {@code rhs(p, y)}, an
 * {@code axpy} that allocates its result), as a Runge-Kutta step written in a functional style
 * calls them four times per step: the returned array takes the caller's adjoint directly, so
 * the helper's reverse sweep binds no adjoint by identity (a hash-table put per argument per
 * call, which grew with the steps). A helper that may return its parameter still binds. The
 * caller's locals that hold only such arrays are recorded on the fresh-reference tape.
 */
class ReturnedLocalArraysTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Rk {
        static double[] rhs(double[] p, double[] y) {
          double[] d = new double[2];
          d[0] = p[0] * y[0] - p[1] * y[0] * y[1];
          d[1] = p[2] * y[0] * y[1] - p[3] * y[1];
          return d;
        }

        static double[] axpy(double[] y, double h, double[] k) {
          double[] r = new double[y.length];
          for (int i = 0; i < y.length; i++) r[i] = y[i] + h * k[i];
          return r;
        }

        // returns its parameter where s is small: the caller's lookups must find y's adjoint
        static double[] maybeSame(double[] y, double s) {
          if (s < 0.5) return y;
          double[] c = new double[y.length];
          for (int i = 0; i < y.length; i++) c[i] = y[i] * s;
          return c;
        }

        @Differentiable(wrt = "p")
        public static double rk(double[] p, double[] y0, int steps, double h) {
          double[] y = y0.clone();
          double l = 0;
          for (int s = 0; s < steps; s++) {
            double[] k1 = rhs(p, y);
            double[] k2 = rhs(p, axpy(y, h / 2, k1));
            double[] k3 = rhs(p, axpy(y, h / 2, k2));
            double[] k4 = rhs(p, axpy(y, h, k3));
            for (int i = 0; i < 2; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            l += (y[0] - 1) * (y[0] - 1);
          }
          return l;
        }

        @Differentiable(wrt = {"p", "y0"})
        public static double loss(double[] p, double[] y0, int steps, double h) {
          double[] y = y0.clone();
          double l = 0;
          for (int s = 0; s < steps; s++) {
            double[] k1 = rhs(p, y);
            double[] k2 = rhs(p, axpy(y, h / 2, k1));
            double[] k3 = rhs(p, axpy(y, h / 2, k2));
            double[] k4 = rhs(p, axpy(y, h, k3));
            for (int i = 0; i < 2; i++) y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
            double[] z = maybeSame(y, p[0] * s);
            l += (z[0] - 1) * (z[0] - 1) + z[1] * y[1];
          }
          return l;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Rk", SOURCE);
    user = c.load("demo.Rk");
    grad = c.load("demo.RkGrad");
    generated = c.generatedSource("demo.RkGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("loss", r -> new Object[] {vector(r, 4, 0.2, 1.2), vector(r, 2, 0.5, 2), 5, 0.05}, 0, 1),
        of("rk", r -> new Object[] {vector(r, 4, 0.2, 1.2), vector(r, 2, 0.5, 2), 7, 0.05}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  static String method(String name) {
    return Compiled.method(generated, name);
  }

  /**
   * The stages k1..k4 and the three axpy results are new arrays each step that only their local
   * reaches, and the reverse sweep allocates their adjoints instead of looking them up. The axpy
   * results are read by rhs's reverse (its products): each overwrite records the reference on the
   * fresh-reference tape, whose arrays are counted as they come. The stages are read by nothing
   * but linear combinations (axpy's reverse is passed null for k, which it never reaches): each
   * overwrite records only the length of the stage it lets go of, for its adjoint's zeros. Per
   * step the tape holds y's two old values (16 bytes), three arrays (8 bytes of reference and 16 +
   * 2 * 8 of array each) and four lengths (4 bytes each): 152 bytes, where keeping the stages
   * took 296.
   */
  @Test
  void newArraysOfHelpersGoOnTheFreshTapeAndCountExactly() throws Exception {
    String forward = method("static double rkForward");
    assertTrue(forward.contains("ctx.pushFreshLength(k1);"), forward);
    assertTrue(forward.contains("ctx.pushFreshRef(axpyResult);"), forward);
    assertFalse(forward.contains("ctx.pushRef(k1);\n      double[] k1"), forward);
    // z = maybeSame(y, ...) may be y itself: not a fresh array, so on the ordinary tape
    String loss = method("static double lossForward");
    assertTrue(loss.contains("ctx.pushRef(z);"), loss);
    assertFalse(loss.contains("ctx.pushFreshRef(z);"), loss);
    String reverse = method("static void rkReverse");
    assertTrue(reverse.contains("k4Bar = ctx.popFreshAdjoint();"), reverse);
    assertFalse(reverse.contains("k4 = ctx.popFreshRef();"), reverse);
    assertTrue(reverse.contains("axpyResult3 = ctx.popFreshRef();"), reverse);
    assertTrue(reverse.contains("axpyReverse(y, h, null, yBar, k3Bar, axpyResult3Bar, ctx);"), reverse);
    java.lang.reflect.Method rk = grad.getMethod("rk", double[].class, double[].class, int.class, double.class,
        double[].class, org.rad.runtime.RadContext.class);
    org.rad.runtime.RadContext ctx = org.rad.runtime.RadContext.exact();
    double[] p = {1.1, 0.4, 0.1, 0.4};
    double[] y0 = {1.5, 0.8};
    rk.invoke(null, p, y0, 5, 0.01, new double[4], ctx);
    long five = ctx.peakTapeBytes();
    rk.invoke(null, p, y0, 15, 0.01, new double[4], ctx);
    long fifteen = ctx.peakTapeBytes();
    assertEquals(10 * 152, fifteen - five);
  }

  @Test
  void helpersReturningTheirOwnArrayBindNothing() {
    assertFalse(method("static void rhsReverse").contains("bindShadow"), method("static void rhsReverse"));
    assertFalse(method("static void axpyReverse").contains("bindShadow"), method("static void axpyReverse"));
    // maybeSame may return y: its reverse binds y's adjoint for the lookup of its result
    assertTrue(method("static double maybeSameReverse").contains("bindShadow"), method("static double maybeSameReverse"));
  }
}
