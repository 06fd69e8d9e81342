package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by a user-style test: a loop that allocates the output just before the call that writes
 * it, then moves on ({@code DMatrixRMaj nxt = new DMatrixRMaj(..); add(cur, w, nxt); cur = nxt;}),
 * was rejected as passing two arrays "which may be the same array" (the alias classes merge cur
 * and nxt), though an array allocated by the statement before the call is no other argument. Such
 * an argument is now in no group of possibly equal arguments: the EJML call compiles, and a
 * helper's call needs no run-time test.
 */
class FreshOutputArgumentTest {
  static final String SOURCE = """
      package demo;
      import org.ejml.data.DMatrixRMaj;
      import org.ejml.dense.row.CommonOps_DDRM;
      import org.rad.annotations.Differentiable;
      public class Fresh {
        @Differentiable(wrt = "w")
        public static double ejml(DMatrixRMaj w) {
          DMatrixRMaj cur = w.copy();
          for (int s = 0; s < 3; s++) {
            DMatrixRMaj nxt = new DMatrixRMaj(w.numRows, w.numCols);
            CommonOps_DDRM.elementMult(cur, w, nxt);
            cur = nxt;
          }
          return CommonOps_DDRM.elementSum(cur);
        }

        static void step(double[] u, double[] out, double c) {
          for (int i = 0; i < u.length; i++) {
            out[i] = u[i] * u[i] * c + u[(i + 1) % u.length];
          }
        }

        @Differentiable(wrt = "u0")
        public static double plain(double[] u0, double c) {
          double[] u = u0.clone();
          for (int s = 0; s < 4; s++) {
            double[] next = new double[u.length];
            step(u, next, c);
            u = next;
          }
          double t = 0;
          for (double v : u) {
            t += v;
          }
          return t;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Fresh", SOURCE);
    user = c.load("demo.Fresh");
    grad = c.load("demo.FreshGrad");
    generated = c.generatedSource("demo.FreshGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("ejml", r -> {
          DMatrixRMaj w = new DMatrixRMaj(2, 2);
          for (int k = 0; k < 4; k++) {
            w.data[k] = r.nextDouble(0.5, 1.2);
          }
          return new Object[] {w};
        }, 0),
        of("plain", r -> new Object[] {vector(r, 3, -0.8, 0.8), r.nextDouble(0.2, 0.6)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) {
    c.check(user, grad);
  }

  @Test
  void theHelpersCallNeedsNoRunTimeTest() {
    String forward = Compiled.method(generated, "static double plainForward");
    assertFalse(forward.contains("u != next"), forward);
  }
}
