package org.rad.processor;

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
 * Early exits that need no flag: a piecewise helper written with early returns (a Godunov flux,
 * as finite-volume codes write it), work after a branch that returns, a loop body that ends in
 * {@code continue}; and exits that still do (a return from inside a loop, a break). Gradients
 * against central differences on every branch; the piecewise helper records no bit for its exits.
 */
class EarlyExitsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Exits {
        static double flux(double u) { return 0.5 * u * u; }

        static double godunov(double ul, double ur) {
          if (ul <= ur) {
            if (ul > 0) return flux(ul);
            if (ur < 0) return flux(ur);
            return 0.0;
          }
          return Math.max(flux(ul), flux(ur));
        }

        @Differentiable
        public static double burgers(double[] u0, double lambda) {
          int n = u0.length;
          double[] u = u0.clone();
          double[] fl = new double[n + 1];
          for (int t = 0; t < 3; t++) {
            for (int i = 1; i < n; i++) fl[i] = godunov(u[i - 1], u[i]);
            fl[0] = fl[1];
            fl[n] = fl[n - 1];
            for (int i = 0; i < n; i++) u[i] = u[i] - lambda * (fl[i + 1] - fl[i]);
          }
          double s = 0;
          for (int i = 0; i < n; i++) s += u[i] * u[i] * (i + 1);
          return s;
        }

        // work after a branch that returns; a trailing continue; a return from inside a loop
        @Differentiable
        public static double mixed(double[] a, double x) {
          double s = x;
          if (x > 2) {
            s = s * x;
          } else {
            s = Math.sin(s);
            return s * a[0];
          }
          for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) {
              s += a[i] * x;
              continue;
            }
            if (s > 50) return s * a[i];
            s += a[i] * a[i];
          }
          return s;
        }

        // a break still stops its loop
        @Differentiable
        public static double breaks(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            if (a[i] > 0.5) break;
            s += a[i] * a[i] * (i + 1);
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Exits", SOURCE);
    user = c.load("demo.Exits");
    grad = c.load("demo.ExitsGrad");
    generated = c.generatedSource("demo.ExitsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        // rarefaction, shocks and both signs: every branch of godunov
        of("burgers", r -> new Object[] {vector(r, 12, -1, 1), 0.3}, 0, 1),
        of("burgers", r -> new Object[] {vector(r, 12, 0.2, 1), 0.3}, 0, 1),
        of("mixed", r -> new Object[] {vector(r, 6, -1, 1), 1.3}, 0, 1),
        of("mixed", r -> new Object[] {vector(r, 6, -1, 1), 3.1}, 0, 1),
        of("mixed", r -> new Object[] {vector(r, 6, 2, 3), 7.5}, 0, 1),
        of("breaks", r -> new Object[] {vector(r, 8, -0.6, 0.7)}, 0),
        of("breaks", r -> new Object[] {vector(r, 8, -0.6, 0.4)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void thePiecewiseHelperRecordsOnlyItsMaxNotItsExits() {
    String forward = generated.substring(generated.indexOf("static double godunovForward"));
    forward = forward.substring(0, forward.indexOf("\n  }\n"));
    assertFalse(forward.contains("returned"), forward);
    // the one bit left is max's winner, a comparison of two results
    assertTrue(forward.split("pushBit", -1).length == 2, forward);
    String mixed = generated.substring(generated.indexOf("static double mixedForward"));
    mixed = mixed.substring(0, mixed.indexOf("\n  }\n"));
    assertFalse(mixed.contains("skipped"), mixed);
    assertTrue(mixed.contains("returned"), mixed);
  }
}
