// rad-fuzz program: seed=5883834374472231683 n=3 rows=3
package fz;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;
import org.rad.annotations.Sampling;

public class P4981 {
  @Differentiable(wrt = {"x0", "x1", "v0", "v1"})
  static double f(double x0, double x1, double[] v0, @Randomize(fraction = 0.5) double[] v1, int steps, boolean flag) {
    double[] a0 = new double[v0.length];
    for (int i1 = 0; i1 < a0.length; i1++) {
      a0[i1] = (-(x1) + (v1[i1] / (1.0 + x0 * x0)));
    }
    int k2 = 0;
    while (k2 < v1.length && ((steps * 0.25) > (x0 * x0) && (x1 * v0[2]) < (v1[1] + v0[0]))) {
      for (int i3 = 0; i3 < v1.length; i3++) {
        v1[i3] = 0.5;
      }
      k2++;
    }
    double acc6 = 0.5;
    for (int i7 = 0; i7 < v1.length; i7++) {
      acc6 += v1[i7] * a0[i7];
    }
    return acc6;
  }
}
