package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by a user-style test: a call chose the first overload its arguments fit in declaration
 * order, not the most specific one Java calls: h(1, x) ran h(double, double[]) declared before
 * h(long, double[]), and Lib.w(3) ran w(double) declared before w(long), silently (value and
 * gradient of other code). A class's own overload was also taken where Java calls a more specific
 * inherited one. Calls now resolve as Java does (JLS 15.12.2.5 on the supported types); a call
 * that Java resolves to an inherited method is the [RadUnknownCall] error for inherited methods.
 */
class OverloadResolutionTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Over {
        static double h(double z, double[] v) {
          return z * v[0];
        }

        static double h(long k, double[] v) {
          return v[(int) k] * 5;
        }

        static double g(double a, double b) {
          return a * b;
        }

        static double g(double a, long b) {
          return a + b;
        }

        @Differentiable(wrt = "x")
        static double f(double[] x) {
          return h(1, x) + h(0.5, x) * x[1] + g(x[0], 3) + g(x[1], 2.0) + Lib.w(3) * x[0];
        }
      }

      class Lib {
        public static double w(double z) {
          return z * 0.6;
        }

        public static double w(long k) {
          return k * 30;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Over", SOURCE);
    user = c.load("demo.Over");
    grad = c.load("demo.OverGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(of("f", r -> new Object[] {vector(r, 2, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * act(2) runs Base.act(int), more specific than the class's own act(double): an inherited static
   * method runs as it is (its argument carries no derivative), so f is 200 x[0]. (It was an error
   * before inherited static methods were run as they are.)
   */
  @Test
  void aMoreSpecificInheritedOverloadRunsAsJavaChoosesIt() throws Exception {
    Compiled c = Compiled.compile("demo.Net", """
        package demo;
        import org.rad.annotations.Differentiable;
        public class Net extends Base {
          static double act(double z) {
            return z * z;
          }

          @Differentiable(wrt = "x")
          static double f(double[] x) {
            return act(2) * x[0];
          }
        }

        class Base {
          static double act(int k) {
            return 100.0 * k;
          }
        }
        """);
    double[] xBar = new double[1];
    double value = (double) c.load("demo.NetGrad").getDeclaredMethod("f", double[].class, double[].class)
        .invoke(null, new double[] {0.5}, xBar);
    org.junit.jupiter.api.Assertions.assertEquals(100.0, value);
    org.junit.jupiter.api.Assertions.assertEquals(200.0, xBar[0]);
  }
}
