package org.rad.processor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SmokeTest {
  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Smoke", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Smoke {
          @Differentiable
          public static double f(double x, double y) {
            double s = x * y + Math.sin(x);
            return s * s;
          }
          @Differentiable(wrt = "a")
          public static double sumsq(double[] a, int n) {
            double s = 0;
            for (int i = 0; i < n; i++) {
              s += a[i] * a[i];
            }
            return s;
          }
          @Differentiable
          static double loop(double x) {
            double y = x;
            for (int k = 0; k < 5; k++) {
              y = Math.sin(y) * x + y * y * 0.1;
            }
            return y;
          }
          @Differentiable
          static double branchy(double x, double y) {
            double r;
            if (x > y) {
              r = x * x;
            } else {
              r = Math.exp(y) - x;
            }
            if (r > 2) {
              return Math.log(r);
            }
            return r * y;
          }
          @Differentiable
          static double whileLoop(double x) {
            double v = x;
            int n = 0;
            while (v < 100) {
              v = v * 1.7 + x;
              n++;
            }
            return v + n;
          }
        }
        """);
    user = compiled.load("demo.Smoke");
    grad = compiled.load("demo.SmokeGrad");
  }

  @Test
  void scalar() {
    new GradientHarness(user, grad, "f", 0, 1).check(r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 5, 1e-6, 1e-6);
  }

  @Test
  void arrayLoop() {
    new GradientHarness(user, grad, "sumsq", 0).check(r -> new Object[] {r.doubles(6, -1, 1).toArray(), 5}, 3, 1e-6, 1e-6);
  }

  @Test
  void loopCarried() {
    new GradientHarness(user, grad, "loop", 0).check(r -> new Object[] {r.nextDouble(-1, 1)}, 5, 1e-6, 1e-6);
  }

  @Test
  void branches() {
    new GradientHarness(user, grad, "branchy", 0, 1).check(r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 8, 1e-6, 1e-6);
  }

  @Test
  void whileLoop() {
    new GradientHarness(user, grad, "whileLoop", 0).check(r -> new Object[] {r.nextDouble(0.5, 3)}, 5, 1e-7, 1e-6);
  }
}
