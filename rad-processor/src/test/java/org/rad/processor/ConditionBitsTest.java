package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.rad.processor.GradientCase.of;

import java.lang.reflect.Method;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * An {@code if} in a loop is re-evaluated in the reverse sweep where that costs nothing, and
 * else records its bit. A condition on a declaration the reverse sweep recomputes counted as free,
 * also where that declaration reads what every iteration overwrites: an adaptive step's {@code if
 * (err < tol)}, with {@code err = Math.abs(yH - yE)} and {@code y = yH} after it, recorded {@code
 * yH} every iteration to re-derive {@code err} (found by a user-style round: 2,704 bytes for 100
 * steps). The bit is recorded now (1,909).
 */
class ConditionBitsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Adaptive {
        @Differentiable(wrt = "k")
        static double heun(double k, double y0, int n) {
          double y = y0, h = 0.1;
          for (int i = 0; i < n; i++) {
            double yE = y + h * k * y;
            double yH = y + h * k * yE;
            double err = Math.abs(yH - yE);
            y = yH;
            if (err < 0.01) h *= 1.1;
          }
          return y;
        }

        // the condition's declaration reads only what the loop leaves alone: still re-evaluated
        @Differentiable(wrt = "x")
        static double fixedTest(double[] x, double c) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            double d = c * i;
            if (d > 1.0) s += x[i] * x[i];
            else s += x[i];
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Adaptive", SOURCE);
    user = c.load("demo.Adaptive");
    grad = c.load("demo.AdaptiveGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("heun", r -> new Object[] {r.nextDouble(-0.8, -0.2), r.nextDouble(0.5, 1.5), 40}, 0).points(6),
        of("fixedTest", r -> new Object[] {GradientCase.vector(r, 8, -1, 1), 0.3}, 0).points(4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void aConditionOnWhatEachIterationOverwritesRecordsItsBit() throws Exception {
    Method g = grad.getDeclaredMethod("heun", double.class, double.class, int.class, double[].class, RadContext.class);
    RadContext ctx = RadContext.exact();
    g.invoke(null, -0.5, 1.0, 100, new double[1], ctx);
    assertEquals(1909, ctx.peakTapeBytes()); // yE, y and (when taken) h per step, and a bit: 2,704 with yH
  }

  @Test
  void aConditionOnWhatTheLoopLeavesAloneRecordsNothing() throws Exception {
    Method g = grad.getDeclaredMethod("fixedTest", double[].class, double.class, double[].class, RadContext.class);
    RadContext ctx = RadContext.exact();
    g.invoke(null, new double[100], 0.3, new double[100], ctx);
    assertEquals(0, ctx.peakTapeBytes());
  }
}
