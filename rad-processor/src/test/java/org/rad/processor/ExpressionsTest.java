package org.rad.processor;

import static org.rad.processor.GradientCase.of;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Straight-line code: arithmetic (% on doubles too), unary minus, compound assignments,
 * comparisons, logical operators, {@code ?:}, casts between int, long and double, {@code var}
 * locals, static final constants, Math constants and compositions of Math functions.
 */
class ExpressionsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Expressions {
        static final double SCALE = 1.5;
        static final int N = 3;
        static final long BIG = 4L;
        static final boolean ON = true;

        @Differentiable
        static double arithmetic(double x, double y) {
          double a = x * y - x / y + 3 * x - -y;
          double b = (x + 2) * (y - 1) / (1 + x * x) - (-a);
          double r = x % 0.7 + 5.3 % (y + 2) + (-x) % y;
          return a * b - SCALE * a + N + -(x - y) * BIG + r;
        }

        @Differentiable
        static double compound(double x, double y) {
          double s = x;
          s += y * y;
          s -= x * y;
          s *= x;
          s /= 1 + y * y;
          s *= s;
          s += s * x;
          s -= s / 3;
          s /= s + 4;
          double t = 2;
          t -= s;
          t *= -t;
          return s + t;
        }

        @Differentiable
        static double conditionals(double x, double y) {
          double m = x > y ? x * x : y * 3;
          double n = (x < 0 || y > 1) && !(x > 2) ? m + x : m * y;
          boolean positive = x >= 0;
          boolean ordered = x <= y;
          double k = positive == ordered ? m * n : m - n;
          k += positive != (y == 0.5) ? n : 2 * n;
          return ON ? k + (x < y ? 1 : x) : k;
        }

        @Differentiable
        static double casts(double x, double y, int k, long l) {
          int i = (int) (x * 10);
          long j = (long) k * l + i;
          double d = (double) j * x + (double) k / 3 + x * (int) 2.7 + (long) y;
          double e = k + l * y + j / 2;
          var product = e * x;
          for (var step = 0; step < 2; step++) {
            e += product * step;
          }
          return d * e + i + (double) (int) y;
        }

        // i += x with a double x is i = (int) (i + x), as Java computes it
        @Differentiable
        static double compoundNarrowing(double x, double y) {
          int i = 3;
          i += x * 2;
          long l = 10;
          l *= y;
          i -= 0.5;
          int k = 7;
          k /= y;
          return x * i + y * l + x * y * k;
        }

        @Differentiable(wrt = {"y", "x"})
        static double constants(double x, double y, double z) {
          return Math.PI * x * x + Math.E * Math.sin(Math.PI * y) + z * SCALE + 1e-3 * x / 0.5;
        }

        @Differentiable
        static double composed(double x, double y) {
          double r = Math.sqrt(x * x + y * y + 1);
          double u = Math.exp(-r) * Math.log(1 + r) + Math.pow(r, 1.5) * Math.atan2(y, x);
          double v = Math.tanh(Math.sin(x) * Math.cosh(y * 0.5)) / Math.hypot(r, u);
          return u * v + Math.max(u, v) - Math.min(x, Math.abs(y)) + Math.cbrt(u + 10);
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled compiled = Compiled.compile("demo.Expressions", SOURCE);
    user = compiled.load("demo.Expressions");
    grad = compiled.load("demo.ExpressionsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("arithmetic", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(0.5, 2)}, 0, 1),
        of("compound", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("compoundNarrowing", r -> new Object[] {r.nextDouble(0.1, 0.2), r.nextDouble(1.1, 1.15)}, 0, 1),
        of("conditionals", r -> new Object[] {r.nextDouble(-3, 3), r.nextDouble(-3, 3)}, 0, 1).points(12),
        of("casts", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2), r.nextInt(-3, 4), r.nextLong(-3, 4)}, 0, 1),
        // wrt in an order other than the parameters': adjoint arguments follow wrt
        of("constants", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 1, 0),
        of("composed", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void constantsInClosedForm() {
    GradientHarness h = new GradientHarness(user, grad, "constants", 1, 0);
    double x = 0.3;
    double y = -0.7;
    double dy = Math.E * Math.cos(Math.PI * y) * Math.PI;
    double dx = 2 * Math.PI * x + 1e-3 / 0.5;
    h.checkClosedForm(new Object[] {x, y, 1.0}, new double[] {dy, dx}, 1e-14);
  }
}
