package org.rad.processor;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import org.junit.jupiter.api.Test;

/**
 * Unqualified calls of statically imported methods ({@code import static java.lang.Math.*},
 * {@code import static java.lang.Math.exp}) and statically imported constants ({@code PI})
 * differentiate like the qualified ones; a method of the class itself hides an imported one, as
 * in Java.
 */
class StaticImportTest {
  @Test
  void onDemandImportOfMath() {
    Compiled c = Compiled.compile("demo.OnDemand", """
        package demo;
        import static java.lang.Math.*;
        import org.rad.annotations.Differentiable;
        public class OnDemand {
          @Differentiable
          static double f(double[] a, double x) {
            double s = 0;
            for (int i = 0; i < a.length; i++) {
              s += exp(a[i] * x) + sin(a[i]) * pow(x, 3) + max(a[i], x) + abs(min(a[i], 0.1)) * PI;
            }
            return s + sqrt(x * x + 1) + hypot(x, 2) + atan2(x, 3) + E;
          }
        }
        """);
    of("f", r -> new Object[] {vector(r, 4, -1, 1), r.nextDouble(0.3, 1.5)}, 0, 1).points(8)
        .check(c.load("demo.OnDemand"), c.load("demo.OnDemandGrad"));
  }

  @Test
  void singleImportsOfMathAndStrictMath() {
    Compiled c = Compiled.compile("demo.Single", """
        package demo;
        import static java.lang.Math.exp;
        import static java.lang.Math.max;
        import static java.lang.StrictMath.log1p;
        import static java.lang.StrictMath.tanh;
        import org.rad.annotations.Differentiable;
        public class Single {
          static double softplus(double v) {
            return log1p(exp(v));
          }

          @Differentiable
          static double f(double x, double y) {
            return softplus(x * y) + max(x, y) * tanh(y) + exp(-x);
          }
        }
        """);
    of("f", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1).points(8)
        .check(c.load("demo.Single"), c.load("demo.SingleGrad"));
  }

  @Test
  void aMethodOfTheClassHidesTheImportedOne() {
    Compiled c = Compiled.compile("demo.Hidden", """
        package demo;
        import static java.lang.Math.*;
        import org.rad.annotations.Differentiable;
        public class Hidden {
          static double exp(double v) {
            return v * v;
          }

          @Differentiable
          static double f(double x) {
            return exp(x) + cos(x);
          }
        }
        """);
    GradientHarness h = new GradientHarness(c.load("demo.Hidden"), c.load("demo.HiddenGrad"), "f", 0);
    // d/dx (x^2 + cos x) = 2x - sin x: exp is the class's own method
    h.checkClosedForm(new Object[] {0.7}, new double[] {2 * 0.7 - Math.sin(0.7)}, 1e-12);
  }
}
