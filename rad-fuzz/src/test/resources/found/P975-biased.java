// rad-fuzz program: seed=3150034731751767730 n=3 rows=2
package fz;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;
import org.rad.annotations.Sampling;

public class P975 {
  
  @Differentiable(wrt = {"x0", "v0"})
  static double f(double x0, double[] v0, @Randomize(fraction = 0.5) double[] v1, double[][] m0) {
    x0 /= 1.0 + (-0.75 + x0) * (-0.75 + x0);
    double[] flat1 = new double[2 * 3];
    for (int i0 = 0; i0 < 2; i0++) {
      for (int j2 = 0; j2 < 3; j2++) {
        flat1[i0 * 3 + j2] = v1[j2 % v1.length] * x0;
      }
    }
    double d3 = 0.5;
    for (int i0c = 0; i0c < flat1.length; i0c++) {
      d3 += flat1[i0c] * flat1[i0c];
    }
    for (int i6 = 1; i6 < v0.length; i6++) {
      v0[i6] = Math.tanh(v0[i6 - 1] * 0.8 + (0.5 > 0.3 ? d3 : x0)) + 0.5 * v0[i6];
    }
    int c8 = 0;
    for (int i7 = 0; i7 < v0.length; i7++) {
      v1[c8] = 0.5;
    }
    double acc22 = 0.0;
    for (int i23 = 0; i23 < v0.length; i23++) {
      acc22 += v0[i23] * v1[i23];
    }
    return acc22 + d3;
  }
}
