package org.rad.processor;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Calls of other methods of the class, differentiated transitively: annotated and plain helpers,
 * helpers returning double[] and writing into array parameters, a helper called with different
 * activity at different sites, chains of calls, and calls whose arguments carry no derivative.
 */
class CallsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Calls {
        static double square(double x) {
          return x * x;
        }

        static double square(double[] v) {
          double s = 0;
          for (double e : v) {
            s += e * e;
          }
          return s;
        }

        static double first(double[] a) {
          return a[0] * a[0];
        }

        static double first(double[] a, double[] b) {
          return a[0] + b[0];
        }

        @Differentiable
        static double twice(double x) {
          return 2 * square(x);
        }

        @Differentiable
        static double twice(double[] v) {
          return 2 * square(v) + first(v) + first(new double[] {1, 2}, new double[] {3});
        }

        @Differentiable
        static double poly(double x) {
          return 3 * x * x + x - 1;
        }

        static double[] scaled(double[] a, double s) {
          double[] r = new double[a.length];
          for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * s;
          }
          return r;
        }

        static void axpy(double alpha, double[] x, double[] y) {
          for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
          }
        }

        static double dot(double[] a, double[] b) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
          }
          return s;
        }

        static double norm(double[] a) {
          return Math.sqrt(dot(a, a));
        }

        static int above(double[] a, double t) {
          int c = 0;
          for (double v : a) {
            if (v > t) {
              c++;
            }
          }
          return c;
        }

        static double weight(int i) {
          return 1.0 / (i + 1);
        }

        static boolean small(double x) {
          return Math.abs(x) < 0.5;
        }

        @Differentiable
        static double sumOfSquares(double[] x) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += square(x[i]);
          }
          return s;
        }

        @Differentiable
        static double helpers(double x, double y) {
          return square(x) * poly(y) + square(3.0) + poly(x) / (1 + square(y));
        }

        @Differentiable
        static double arrays(double[] a, double[] b, double s) {
          double[] c = scaled(a, s);
          axpy(s, b, c);
          double n = norm(c) + dot(a, b) * above(a, 0.0) + weight(2);
          return n + dot(c, a);
        }

        static double[] affine(double[] w, double[] in) {
          double[] out = new double[in.length];
          for (int i = 0; i < in.length; i++) {
            out[i] = Math.tanh(w[i] * in[i] + w[0]);
          }
          return out;
        }

        /** affine is called with three different sets of parameters that carry derivatives. */
        @Differentiable(wrt = "w")
        static double stacked(double[] w, double[] x) {
          double[] h1 = affine(w, x);
          double[] h2 = affine(w, h1);
          double[] h3 = affine(x, h2);
          double s = 0;
          for (double v : h3) {
            s += v;
          }
          return s;
        }

        @Differentiable
        static double differentActivity(double x, double y) {
          double c = 2.0;
          double k = square(c);
          return square(x) + k * y + square(y * c) + poly(c);
        }

        static double level3(double x) {
          return Math.sin(x) * x;
        }

        static double level2(double x, double y) {
          return level3(x * y) + level3(y);
        }

        static double level1(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += level2(a[i], s + 1);
          }
          return s;
        }

        @Differentiable
        static double chain(double[] a) {
          return level1(a) * level2(a[0], 0.5);
        }

        @Differentiable(wrt = "a")
        static double writesParameter(double[] a, double[] out) {
          for (int i = 0; i < a.length; i++) {
            out[i] = a[i] * a[i];
            a[i] = Math.sin(a[i]);
          }
          return dot(a, out);
        }

        static void normalize(double[] v) {
          double n = norm(v);
          for (int i = 0; i < v.length; i++) {
            v[i] = v[i] / n;
          }
        }

        @Differentiable
        static double voidHelper(double[] v, double x) {
          double[] w = v.clone();
          w[0] += x;
          normalize(w);
          normalize(v);
          return dot(w, v) + w[1] * x;
        }

        static void fillRow(double[][] m, int i, double x) {
          for (int j = 0; j < m[i].length; j++) {
            m[i][j] = x * (j + 1);
          }
        }

        @Differentiable
        static double matrixHelper(double[][] m, double x) {
          double[][] t = new double[m.length][m[0].length];
          for (int i = 0; i < m.length; i++) {
            fillRow(t, i, x * m[i][0]);
          }
          double s = 0;
          for (int i = 0; i < t.length; i++) {
            s += dot(t[i], m[i]);
          }
          return s;
        }

        @Differentiable
        static double inactiveCalls(double x, int n) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            s += x * weight(i);
          }
          if (small(0.25)) {
            s = s * x;
          }
          if (small(x)) {
            s = s + x;
          }
          return s;
        }

        static double sumInto(double[] acc, double x) {
          acc[0] += x;
          acc[1] += x * x;
          return acc[0] * acc[1];
        }

        @Differentiable
        static double callsInLoop(double[] a) {
          double[] acc = new double[2];
          double r = 0;
          for (int i = 0; i < a.length; i++) {
            r += sumInto(acc, a[i]);
          }
          return r + acc[0];
        }

        static double shape(double[] a, double x, double w) {
          double s = Math.sin(w * x);
          double c = Math.cos(x) * a[0];
          return a[1] * s + c * c + w * s * c;
        }

        @Differentiable
        static double keptHelpers(double[] a, double w) {
          double r = 0;
          for (int i = 0; i < 4; i++) {
            double u = shape(a, i * 0.5, w);
            double v = shape(a, u, w * 0.5);
            for (int j = 0; j < 2; j++) {
              double z = shape(a, j, u);
              r += u * v * (j + 1) + z * v;
            }
          }
          return r;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Calls", SOURCE);
    user = compiled.load("demo.Calls");
    grad = compiled.load("demo.CallsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("sumOfSquares", r -> new Object[] {vector(r, 5, -2, 2)}, 0),
        of("poly", r -> new Object[] {r.nextDouble(-2, 2)}, 0),
        of("helpers", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("arrays", r -> new Object[] {vector(r, 4, -1, 1), vector(r, 4, -1, 1), r.nextDouble(0.5, 2)}, 0, 1, 2),
        of("differentActivity", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("stacked", r -> new Object[] {vector(r, 4, -1, 1), vector(r, 4, -1, 1)}, 0),
        of("chain", r -> new Object[] {vector(r, 4, -1, 1)}, 0),
        of("writesParameter", r -> new Object[] {vector(r, 4, -1, 1), new double[4]}, 0),
        of("voidHelper", r -> new Object[] {vector(r, 3, 0.5, 1.5), r.nextDouble(-1, 1)}, 0, 1),
        of("matrixHelper", r -> new Object[] {matrix(r, 3, 2, -1, 1), r.nextDouble(-1, 1)}, 0, 1),
        of("inactiveCalls", r -> new Object[] {r.nextDouble(-1, 1), r.nextInt(0, 5)}, 0).points(8),
        of("callsInLoop", r -> new Object[] {vector(r, 4, -1, 1)}, 0),
        of("keptHelpers", r -> new Object[] {vector(r, 2, -1, 1), r.nextDouble(-1, 1)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void recomputedHelpersKeepTheirIntermediates() throws Exception {
    // keptHelpers recomputes u, v and z in its reverse sweep; shape's reverse takes back the sine
    // and cosine that the recomputation kept instead of computing them again
    grad.getDeclaredMethod("shapePrimalKeep", double[].class, double.class, double.class, org.rad.runtime.RadContext.class);
    grad.getDeclaredMethod("shapeReverseKept", double[].class, double.class, double.class, double[].class, double.class,
        org.rad.runtime.RadContext.class);
  }

  @Test
  void sumOfSquaresIsTwoX() {
    GradientHarness h = new GradientHarness(user, grad, "sumOfSquares", 0);
    double[] x = {0.5, -1.25, 2, 0, 3};
    double[] twice = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      twice[i] = 2 * x[i];
    }
    h.checkClosedForm(new Object[] {x}, twice, 0);
  }

  @Test
  void overloadsAreDifferentiatedSeparately() throws Exception {
    double[] xBar = new double[1];
    double value = (Double) grad.getDeclaredMethod("twice", double.class, double[].class).invoke(null, 1.5, xBar);
    org.junit.jupiter.api.Assertions.assertEquals(4.5, value, 0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {6}, xBar, 0);
    double[] v = {0.5, -2};
    double[] vBar = new double[2];
    value = (Double) grad.getDeclaredMethod("twice", double[].class, double[].class).invoke(null, v, vBar);
    org.junit.jupiter.api.Assertions.assertEquals(2 * 4.25 + 0.25 + 4, value, 0);
    // d/dv (2 |v|^2 + v0^2) = 4 v + (2 v0, 0)
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {3, -8}, vBar, 0);
  }

  @Test
  void writtenArraysKeepTheFinalValues() throws Exception {
    double[] a = {0.5, -1, 2};
    double[] out = new double[3];
    double[] aBar = new double[3];
    double value = (Double) grad.getDeclaredMethod("writesParameter", double[].class, double[].class, double[].class)
        .invoke(null, a, out, aBar);
    double[] expectedA = {Math.sin(0.5), Math.sin(-1), Math.sin(2)};
    double[] expectedOut = {0.25, 1, 4};
    org.junit.jupiter.api.Assertions.assertArrayEquals(expectedA, a, 0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(expectedOut, out, 0);
    double dot = 0;
    for (int i = 0; i < 3; i++) {
      dot += expectedA[i] * expectedOut[i];
      // d/da_i sin(a_i) a_i^2
      double ai = new double[] {0.5, -1, 2}[i];
      org.junit.jupiter.api.Assertions.assertEquals(Math.cos(ai) * ai * ai + Math.sin(ai) * 2 * ai, aBar[i], 1e-14);
    }
    org.junit.jupiter.api.Assertions.assertEquals(dot, value, 1e-14);
  }

  /**
   * A helper whose call sites differ in which parameters carry derivatives is differentiated once
   * per set: the sites with the most active parameters keep it, the others get copies that compute
   * no adjoint for their constant parameters.
   */
  @Test
  void callSitesWithDifferentActivityGetSpecializedCopies() {
    String generated = compiled.generatedSource("demo.CallsGrad");
    org.junit.jupiter.api.Assertions.assertTrue(generated.contains("affineConstIn" + "Reverse(w, x, wBar, "), generated);
    org.junit.jupiter.api.Assertions.assertTrue(generated.contains("affineConstW" + "Reverse(x, h2, h2Bar, "), generated);
    org.junit.jupiter.api.Assertions.assertTrue(generated.contains("affineReverse(w, h1, wBar, h1Bar, "), generated);
  }
}
