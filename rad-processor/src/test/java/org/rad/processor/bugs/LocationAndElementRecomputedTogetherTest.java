package org.rad.processor.bugs;

import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found by the fuzzer (seed 2088, program 723) in this session's own change: an element's location
 * ({@code int kc = k;} over a counter the reverse sweep undoes) and the element's old value read
 * before a call ({@code before = u[kc]}, lifted from {@code u[kc] = u[kc] * (1 + s0(v0, v1) *
 * s0(v0, v1))}) became late at the same write. The reverse placed both before the write's restore,
 * since the restore needs the location, so {@code before} read the new value: d/dv0[0] was 0.1615
 * where central differences give 0.6497. Now what the location needs is recomputed before the
 * restore and the rest after it. Checked against central differences (relative 1e-6).
 */
class LocationAndElementRecomputedTogetherTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class P723 {
        static final double[] K0 = {-0.22, -0.48, -0.52};

        static double s0(double[] v0, double[] v1) {
          double d0 = Math.pow(0.25 - v1[2], 2);
          for (int i1 = 0; i1 < v0.length; i1++) {
            v0[i1] = Math.atan(v1[(i1 + 1) % v1.length]);
          }
          return K0[1] * (0.5 + d0);
        }

        @Differentiable(wrt = {"v0"})
        static double f(double x0, double[] v0, double[] v1, boolean flag) {
          double[] u4 = v0.clone();
          double[] w5 = new double[u4.length];
          double[] tmp8 = u4;
          w5 = tmp8;
          int k13 = 0;
          while (k13 < w5.length && (flag || !flag)) {
            int kc14 = k13;
            u4[kc14] = u4[kc14] * (1.0 + s0(v0, v1) * s0(v0, v1));
            double d17 = s0(v1, w5);
            k13++;
          }
          double acc29 = 0.0;
          for (int i30 = 0; i30 < v0.length; i30++) {
            acc29 += v0[i30] * u4[i30];
          }
          return acc29;
        }
      }
      """;

  @Test
  void theOldValueIsReadAfterTheRestore() throws Exception {
    Compiled c = Compiled.compile("demo.P723", SOURCE);
    Method primal = c.load("demo.P723").getDeclaredMethod("f", double.class, double[].class, double[].class,
        boolean.class);
    Method grad = c.load("demo.P723Grad").getDeclaredMethod("f", double.class, double[].class, double[].class,
        boolean.class, double[].class, RadContext.class);
    primal.setAccessible(true);
    grad.setAccessible(true);
    double x0 = -0.3428997636568145;
    double[] v0 = {-1.0342110424424322, 0.3368663023675871, 0.7706031138992424};
    double[] v1 = {-0.8816248597584516, 1.0958645070834039, -0.8366463573098902};
    double[] g = new double[3];
    grad.invoke(null, x0, v0.clone(), v1.clone(), true, g, RadContext.exact());
    CentralDifferences.assertMatches(y -> (double) primal.invoke(null, x0, y, v1.clone(), true), v0, g, 1e-6);
  }
}
