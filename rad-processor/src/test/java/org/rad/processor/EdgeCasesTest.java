package org.rad.processor;

import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Code that stresses the transforms rather than the derivative rules: names that clash with what
 * the generated code introduces (also in wrt, and the classes it calls), parameters overwritten in place, calls inside ?: branches and
 * with array expressions as arguments, library calls, and locals shadowed in sibling scopes.
 */
class EdgeCasesTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Edges {
        static final double[] TABLE = {0.5, 1.5};

        static double sq(double v) {
          return v * v;
        }

        static double dot(double[] a, double[] b) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
          }
          return s;
        }

        static double[] scaled(double[] a, double s) {
          double[] r = new double[a.length];
          for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * s;
          }
          return r;
        }

        static void clampBelow(double[] a, double lo) {
          for (int i = 0; i < a.length; i++) {
            if (a[i] >= lo) {
              continue;
            }
            a[i] = lo;
          }
          if (lo > 100) {
            return;
          }
          a[0] = a[0] * a[1];
        }

        @Differentiable
        static double arrayChoice(double[] a, double[] b, double x, int n) {
          double[] v = x > 0 ? a : b;
          double s = 0;
          for (double e : scaled(v, x)) {
            s += e * e;
          }
          double[] c = v.clone();
          clampBelow(c, 0.1);
          c[0]++;
          c[1]--;
          x++;
          x /= n;
          int k = -n;
          return s + c[0] * c[1] + x * k + dot(v, c);
        }

        @Differentiable
        static double names(double x, double xBar, double result, double e, double ctx) {
          double adj = x * xBar;
          double iterations = adj + result * e;
          double returned = iterations * ctx;
          double self = returned + x;
          double resultBar = self * 2;
          return resultBar + adj * iterations;
        }

        // wrt names parameters the generated code renames (ctx2, self2, Derivatives2), and locals
        // named like the classes the generated code calls (a tester's reports)
        @Differentiable(wrt = {"ctx", "self", "Derivatives"})
        static double namesInWrt(double ctx, double[] self, double Derivatives, double x) {
          double[] RadContext = {ctx * x, self[0]};
          double Shadows = Math.sin(RadContext[0]) * RadContext[1];
          return Shadows * Derivatives + self[1] * ctx;
        }

        static class P {
          static final double B = 0.7;

          static class Q {
            static final double G = 1.5;
          }
        }

        // constants two classes down, written in full, and of another top-level class (package-private)
        @Differentiable
        static double constants(double[] x) {
          return P.B * x[0] + P.Q.G * x[1] + Edges.P.Q.G * x[0] * x[1] + Cfg.GAIN * x[1] * x[1];
        }

        // Math functions of integers only run as they are (a tester's report: they were rejected)
        @Differentiable
        static double integerMath(double[] x, int n) {
          int i = Math.floorMod(Math.negateExact(n), 3);
          int j = Math.toIntExact(Math.multiplyExact((long) n, 2L)) % 3;
          return x[i] * x[j] * Math.addExact(n, 1) + Math.absExact(-n) * x[Math.floorDiv(n, 2) % 3];
        }

        @Differentiable
        static double overwriteParameters(double x, double[] a) {
          x = x * x;
          x += Math.sin(x);
          a = a.clone();
          a[0] = a[0] * x;
          double[] b = a;
          a = new double[] {x, b[1]};
          return x + a[0] * a[1] + b[0];
        }

        @Differentiable
        static double callsInConditional(double x, double y) {
          double r = x > y ? sq(x) + 1 : sq(y) * x;
          return r + (y > 0 ? sq(r) : y);
        }

        @Differentiable
        static double arrayExpressionArguments(double x, double y) {
          double[] v = {x, y};
          return dot(new double[] {x, y * y}, v) + dot(v.clone(), v) + dot(TABLE, v);
        }

        @Differentiable
        static double libraryCalls(double x, int n) {
          double s = x;
          if (!Double.isNaN(x) && Double.compare(x, 0.25) > 0) {
            s = s * x;
          }
          int m = Integer.max(n, 2) + Integer.MAX_VALUE / 1000000000;
          return s * m + Double.MIN_NORMAL + Double.sum(1.0, n);
        }

        @Differentiable
        static double shadowing(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            double t = a[i] * 2;
            s += t;
          }
          for (int i = 0; i < a.length; i++) {
            double t = a[i] * s;
            s += t * 0.1;
          }
          {
            double t = s * s;
            s = t;
          }
          return s;
        }

        @Differentiable
        static double rowsOfRows(double[][] m) {
          double s = 0;
          for (double[] row : m) {
            double[] copy = row.clone();
            for (int j = 0; j < copy.length; j++) {
              copy[j] = copy[j] * row[j] + s;
              s += copy[j];
            }
            row[0] = s;
          }
          return s + m[0][0];
        }

        @Differentiable
        static double unusedBranches(double x) {
          double unused = Math.log(x - 5);
          double q = 1 / (x - 5);
          q = 3;
          double r = x > 10 ? Math.sqrt(x - 10) : x * q;
          return r;
        }
      }

      class Cfg {
        static final double GAIN = 3.0;
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled compiled = Compiled.compile("demo.Edges", SOURCE);
    user = compiled.load("demo.Edges");
    grad = compiled.load("demo.EdgesGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("arrayChoice", r -> new Object[] {vector(r, 3, -1, 1), vector(r, 3, -1, 1), r.nextDouble(-1, 1), r.nextInt(1, 4)}, 0, 1, 2).points(8),
        of("names", r -> new Object[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)}, 0, 1, 2, 3, 4),
        of("namesInWrt", r -> new Object[] {r.nextDouble(-1, 1), vector(r, 2, -1, 1), r.nextDouble(-1, 1), r.nextDouble(-1, 1)}, 0, 1, 2),
        of("constants", r -> new Object[] {vector(r, 2, -1, 1)}, 0),
        of("integerMath", r -> new Object[] {vector(r, 3, -1, 1), r.nextInt(0, 7)}, 0).points(6),
        of("overwriteParameters", r -> new Object[] {r.nextDouble(-1, 1), vector(r, 2, -1, 1)}, 0, 1),
        of("callsInConditional", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1).points(10),
        of("arrayExpressionArguments", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("libraryCalls", r -> new Object[] {r.nextDouble(-1, 1), r.nextInt(0, 4)}, 0).points(8),
        of("shadowing", r -> new Object[] {vector(r, 4, -1, 1)}, 0),
        of("rowsOfRows", r -> new Object[] {matrix(r, 3, 2, -1, 1)}, 0),
        of("unusedBranches", r -> new Object[] {r.nextDouble(0, 15)}, 0).points(8));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }
}
