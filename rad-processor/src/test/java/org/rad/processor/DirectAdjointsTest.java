package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A helper's local arrays ({@code double[] w = new double[3]}, never reassigned, alone in their
 * alias class) get adjoints the reverse sweep allocates itself, without a lookup by identity (the
 * ADBench BA helpers, called once per residual row). Variants: allocated only on one branch (null
 * on the other), passed on to a helper that writes it, returned through a parameter, and the
 * same helper called twice in one gradient call. An adjoint of a literal length is allocated with
 * that length and no null check (the JIT can keep it in registers); one of a computed length keeps
 * the check.
 */
class DirectAdjointsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Locals {
        static void cross(double[] a, double[] b, double[] out) {
          out[0] = a[1] * b[2] - a[2] * b[1];
          out[1] = a[2] * b[0] - a[0] * b[2];
          out[2] = a[0] * b[1] - a[1] * b[0];
        }

        static void rotate(double[] rot, double[] pt, double[] out) {
          double sq = rot[0] * rot[0] + rot[1] * rot[1] + rot[2] * rot[2];
          if (sq > 0.5) {
            double[] w = new double[3];
            for (int i = 0; i < 3; i++) w[i] = rot[i] / Math.sqrt(sq);
            double[] wxp = new double[3];
            cross(w, pt, wxp);
            for (int i = 0; i < 3; i++) out[i] = pt[i] * Math.cos(sq) + wxp[i] * Math.sin(sq);
          } else {
            double[] rxp = new double[3];
            cross(rot, pt, rxp);
            for (int i = 0; i < 3; i++) out[i] = pt[i] + rxp[i];
          }
        }

        static double spread(double[] pt) {
          double[] d = new double[pt.length];
          for (int i = 0; i < pt.length; i++) d[i] = Math.sin(pt[i]);
          double s = 0;
          for (int i = 0; i < pt.length; i++) { d[i] = d[i] * pt[i]; s += d[i] * d[i]; }
          return s;
        }

        @Differentiable(wrt = {"rot", "pt"})
        public static double project(double[] rot, double[] pt) {
          double[] p = new double[3];
          rotate(rot, pt, p);
          double[] q = new double[3];
          rotate(rot, p, q);
          return q[0] / q[2] + q[1] * q[1] + spread(pt) * 0.1;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Locals", SOURCE);
    user = c.load("demo.Locals");
    grad = c.load("demo.LocalsGrad");
    generated = c.generatedSource("demo.LocalsGrad");
  }

  @Test
  void literalLengthsAllocateWithoutANullCheckComputedOnesKeepIt() {
    // w is allocated on one branch only: on the other its adjoint is allocated but never used
    assertTrue(generated.contains("wBar = new double[3];"), generated);
    assertTrue(generated.contains("wxpBar = new double[3];"), generated);
    assertTrue(generated.contains("dBar = d == null ? null : new double[d.length];"), generated);
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("project", r -> new Object[] {vector(r, 3, 0.5, 0.8), new double[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1),
            r.nextDouble(4, 6)}}, 0, 1),
        of("project", r -> new Object[] {vector(r, 3, -0.3, 0.3), new double[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1),
            r.nextDouble(4, 6)}}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
