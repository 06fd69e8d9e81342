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
 * Branches and loops: nested if/else, for loops with bounds from inputs, from computations and
 * from enclosing loop variables (triangular loops), non-unit and descending steps, while loops
 * with data-dependent trip counts, break, continue, early returns (also from inside loops), int
 * and long counters with ++, --, compound assignments and %, switch statements (classic and rules)
 * and switch expressions.
 */
class ControlFlowTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Flow {
        @Differentiable
        static double nestedIf(double x, double y) {
          double r = 0;
          if (x > 0) {
            if (y > 0) {
              r = x * y;
            } else {
              r = x - y * y;
            }
          } else if (y > x) {
            r = Math.sin(x) * y;
          } else {
            r = x * x * x;
            if (r < -1)
              r = -Math.sqrt(-r);
          }
          if (r > 1) {
            r = Math.sqrt(r);
          }
          return r + x;
        }

        @Differentiable(wrt = "a")
        static double inputBounds(double[] a, int n, int m) {
          double s = 0;
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
              s += a[i] * a[j] * (i + 1) / (j + 2);
            }
          }
          return s;
        }

        @Differentiable
        static double triangular(double[] a) {
          int n = a.length;
          double s = 0;
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              s += a[i] * a[j] * Math.cos(a[i] - a[j]);
            }
            for (int j = 0; j <= i; j++) {
              s = s * 0.9 + a[j] * a[i];
            }
          }
          return s;
        }

        @Differentiable
        static double steps(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i += 2) {
            s += a[i] * a[i];
          }
          for (int i = a.length - 1; i >= 0; i--) {
            s = s * 0.9 + a[i];
          }
          for (int i = a.length - 1; i > 0; i -= 3) {
            s += Math.sin(a[i]) * s;
          }
          for (int i = 1; i <= a.length; i += 2) {
            s = s * a[i - 1];
          }
          for (long k = 0; k < 3; k++) {
            s += a[(int) k] * k;
          }
          return s;
        }

        @Differentiable
        static double computedBounds(double[] a, double x) {
          int n = (int) Math.floor(Math.abs(x)) + 1;
          int half = a.length / 2;
          double s = x;
          for (int i = half; i < a.length; i++) {
            for (int j = 0; j <= i % 3; j++) {
              s += a[i] * s * 0.1;
            }
          }
          for (int k = 0; k < n; k++) {
            s = s * 0.5 + Math.sin(s + a[k % a.length]);
          }
          for (int k = n * 2; k > n; k--) {
            s = s + a[k % a.length] * x;
          }
          return s;
        }

        @Differentiable
        static double whileLoop(double x, double y) {
          double v = x;
          int it = 0;
          while (v < 50) {
            v = v * 1.5 + y * y + Math.sin(v);
            it++;
          }
          double w = v;
          while (w > 1) {
            w = w * 0.5;
          }
          return v * it + w;
        }

        @Differentiable
        static double breakContinue(double[] a, double t) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) {
              continue;
            }
            s += a[i] * t;
            if (s > 2) {
              break;
            }
            s *= 1.1;
          }
          int k = 0;
          double p = 1;
          while (true) {
            k++;
            if (k % 2 == 0) {
              continue;
            }
            p = p * (1 + a[k % a.length] * t);
            if (k > 6 || p > 4) {
              break;
            }
          }
          return s + p;
        }

        @Differentiable
        static double earlyReturn(double[] a, double x) {
          double s = x;
          for (int i = 0; i < a.length; i++) {
            s = s * a[i] + x;
            if (s > 3) {
              return s * 2;
            }
            for (int j = 0; j < 2; j++) {
              if (s < -3) {
                return -s * x;
              }
              s += 0.1 * a[j];
            }
          }
          if (x > 0) {
            return s * x;
          }
          return s;
        }

        @Differentiable
        static double earlyReturnFromWhile(double x) {
          double v = x;
          while (v < 100) {
            v = v * v + 1;
            if (v > 10 && x < 0.5) {
              return v * x;
            }
          }
          return v;
        }

        @Differentiable
        static double integers(double x, int n) {
          int k = n;
          k++;
          k--;
          k += 3;
          k *= 2;
          k -= 1;
          k /= 2;
          int m = k % 3;
          long big = 1L;
          big++;
          big *= k;
          big--;
          double s = x * m + x * x * (k % 4) - big * x;
          for (int i = -k; i < k; i++) {
            if (i % 2 == 0) {
              s += x * i;
            } else {
              s -= x * x;
            }
          }
          return s;
        }

        @Differentiable
        static double loopCarriedScalars(double x, double y) {
          double a = x;
          double b = y;
          for (int i = 0; i < 6; i++) {
            double t = a;
            a = a * 0.5 + b * Math.cos(t);
            b = b - t * 0.25;
          }
          return a * b;
        }

        @Differentiable
        static double irregularLoops(double[] a, double x) {
          double s = x;
          int n = a.length;
          for (int i = 0; i < n; i++) {
            s = s * 0.9 + a[i] * x;
            if (s > 2) {
              n--;
            }
          }
          for (int i = 0; i < a.length; i++) {
            if (a[i] < 0) {
              i++;
            }
            s += a[i % a.length] * s * 0.1;
          }
          for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            s += a[i] * a[j];
          }
          int k = 0;
          for (; k < 3; k++) {
            s = Math.sin(s) + a[k];
          }
          for (;;) {
            s = s * 0.5;
            if (s < 1 && s > -1) {
              break;
            }
          }
          return s + n + k;
        }

        @Differentiable
        static double flags(double x, double y) {
          boolean big = x > 1;
          double r = x * y;
          for (int i = 0; i < 3; i++) {
            if (big) {
              r = r * x;
            } else {
              r = r + y;
            }
            big = r > 2;
          }
          return r;
        }

        @Differentiable
        static double matrixLoops(double[][] m, double x) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
              if (m[i][j] > 0) {
                s += m[i][j] * x;
              } else {
                s -= m[i][j] * m[i][j];
              }
            }
          }
          return s;
        }

        static final int WIDE = 3;

        static int weight(int k) {
          switch (k % 3) {
            case 0: return 2;
            case 1: return 5;
            default: return 7;
          }
        }

        // labels shared by two cases, the default between cases, a case that continues the loop,
        // a case that returns, a nested switch, a constant label
        @Differentiable(wrt = "x")
        static double classicSwitch(double[] x, int mode) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            switch ((i + mode) % 5) {
              case 0:
              case 1:
                s += x[i] * x[i];
                break;
              default:
                s += Math.sin(x[i]) * weight(i);
                break;
              case 2:
                if (x[i] > 0) {
                  s += x[i];
                  continue;
                }
                s -= 2 * x[i] * x[i] * x[i];
                break;
              case WIDE:
                switch (i % 2) {
                  case 0:
                    s *= 1 + 0.1 * x[i];
                    break;
                  default:
                    s += Math.exp(0.5 * x[i]);
                }
                break;
              case 4:
                if (s > 2) {
                  return s * x[i];
                }
            }
            s *= 1.01;
          }
          return s;
        }

        // breaks that end their case inside a block or in both branches of an if, and a switch
        // expression in classic form with yield
        @Differentiable(wrt = "x")
        static double tailBreaks(double[] x, int mode) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            switch ((i + mode) % 3) {
              case 0: {
                s += x[i] * x[i];
                break;
              }
              case 1:
                if (x[i] > 0) {
                  s *= 1 + 0.2 * x[i];
                  break;
                } else {
                  s -= Math.sin(x[i]);
                  break;
                }
              default:
                if (s > 1) {
                  s = Math.sqrt(s) + x[i];
                  break;
                } else {
                  s += 0.5 * x[i];
                }
            }
            double w = switch (i % 2) {
              case 0:
                yield 1.5 * x[i];
              default:
                yield -x[i];
            };
            s += w;
          }
          return s;
        }

        // rules with blocks and expressions, a selector that calls a method (evaluated once), and
        // switch expressions of mixed int and double cases
        @Differentiable(wrt = "x")
        static double ruleSwitch(double[] x, int mode) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            switch (weight(i + mode)) {
              case 2 -> s += x[i] * 3;
              case 5, 6 -> {
                double t = Math.exp(x[i]);
                s += t * x[i];
              }
              default -> s -= Math.cos(x[i]);
            }
            double w = switch (i % 3) {
              case 0 -> 1.5;
              case 1 -> x[i] * x[i];
              default -> 2;
            };
            s += w * x[i];
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled compiled = Compiled.compile("demo.Flow", SOURCE);
    user = compiled.load("demo.Flow");
    grad = compiled.load("demo.FlowGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("nestedIf", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1).points(20),
        of("inputBounds", r -> new Object[] {vector(r, 6, -1, 1), r.nextInt(0, 6), r.nextInt(0, 6)}, 0).points(6),
        of("triangular", r -> new Object[] {vector(r, 5, -1, 1)}, 0),
        of("steps", r -> new Object[] {vector(r, r.nextInt(3, 8), -1, 1)}, 0).points(6),
        of("computedBounds", r -> new Object[] {vector(r, 5, -1, 1), r.nextDouble(-3.5, 3.5)}, 0, 1).points(8),
        of("whileLoop", r -> new Object[] {r.nextDouble(0.5, 3), r.nextDouble(-1, 1)}, 0, 1).points(8),
        of("breakContinue", r -> new Object[] {vector(r, 5, -1, 1.5), r.nextDouble(0.2, 2)}, 0, 1).points(10),
        of("earlyReturn", r -> new Object[] {vector(r, 4, -2, 2), r.nextDouble(-2, 2)}, 0, 1).points(12),
        of("earlyReturnFromWhile", r -> new Object[] {r.nextDouble(0.1, 2)}, 0).points(8),
        of("integers", r -> new Object[] {r.nextDouble(-2, 2), r.nextInt(-5, 6)}, 0).points(6),
        of("loopCarriedScalars", r -> new Object[] {r.nextDouble(-2, 2), r.nextDouble(-2, 2)}, 0, 1),
        of("irregularLoops", r -> new Object[] {vector(r, 5, -1, 1), r.nextDouble(-1.5, 1.5)}, 0, 1).points(10),
        of("flags", r -> new Object[] {r.nextDouble(0, 2), r.nextDouble(-1, 1)}, 0, 1).points(10),
        of("matrixLoops", r -> new Object[] {matrix(r, 3, 4, -1, 1), r.nextDouble(-2, 2)}, 0, 1),
        of("classicSwitch", r -> new Object[] {vector(r, 9, -1.5, 1.5), r.nextInt(0, 5)}, 0).points(12),
        of("ruleSwitch", r -> new Object[] {vector(r, 7, -1.5, 1.5), r.nextInt(0, 3)}, 0).points(9),
        of("tailBreaks", r -> new Object[] {vector(r, 7, -1.5, 1.5), r.nextInt(0, 3)}, 0).points(9));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void inputBoundsInClosedForm() {
    // s = sum_{i<n, j<m} a_i a_j (i+1)/(j+2): ds/da_k = sum_j [k<n] a_j (k+1)/(j+2) + sum_i [k<m] a_i (i+1)/(k+2)
    GradientHarness h = new GradientHarness(user, grad, "inputBounds", 0);
    double[] a = {0.5, -1, 2, 0.25, 3, -0.5};
    int n = 4;
    int m = 3;
    double[] expected = new double[a.length];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < m; j++) {
        expected[i] += a[j] * (i + 1) / (j + 2);
        expected[j] += a[i] * (i + 1) / (j + 2);
      }
    }
    h.checkClosedForm(new Object[] {a, n, m}, expected, 1e-14);
  }
}
