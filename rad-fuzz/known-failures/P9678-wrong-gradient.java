// rad-fuzz program: seed=7707826248916491889 n=3 rows=3
package fz;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;
import org.rad.annotations.Sampling;

public class P9678 {
  static double s0(double x0, double x1) {
    double[] a0 = new double[3];
    for (int i1 = 0; i1 < a0.length; i1++) {
      a0[i1] = ((x1 - x0) - x0);
    }
    x1 = Math.pow(1.5 + Math.sin(a0[2]), Math.acos(0.5 * Math.tanh(((x0 * a0[0]) > (x1 * a0[0]) ? a0[0] : -0.75))));
    if (((x1 > x0 && x1 > x0) && (1.0 + 2.0) > (a0[0] - x1))) {
    } else {
    }
    return (x1 * (x1 * Math.expm1(Math.tanh(1.5))));
  }
  
  static double s1(double[] v0) {
    v0[2] = Math.sin(v0[2] + v0[2]);
    v0[1] = ((-(v0[1]) < 0.3 ? v0[1] : -0.75) + s0(v0[2], v0[1]));
    int k2 = 0;
    while (k2 < v0.length && s0(v0[0], 3.0) < 0.3) {
      double[] a3 = new double[v0.length];
      for (int i4 = 0; i4 < a3.length; i4++) {
        a3[i4] = a3[i4] * Math.sin((v0[k2] - v0[k2]));
      }
      k2++;
    }
    return (Math.exp(-(v0[2] * v0[2])) - v0[2]);
  }
  
  @Differentiable(wrt = {"x0", "v0", "v1", "m0"})
  static double f(double x0, double[] v0, double[] v1, double[][] m0, int steps) {
    double[] u5 = v0.clone();
    double[] w6 = new double[u5.length];
    for (int t7 = 0; t7 < steps; t7++) {
      for (int i8 = 0; i8 < u5.length; i8++) {
        w6[i8] = 0.5 * u5[i8] + 0.25 * u5[(i8 + 1) % u5.length] + 0.25 * Math.tanh(u5[i8]);
      }
      double[] tmp9 = u5;
      u5 = w6;
      w6 = tmp9;
    }
    double[][] mat10 = new double[3][3];
    for (int i11 = 0; i11 < mat10.length; i11++) {
      for (int j12 = 0; j12 < mat10[i11].length; j12++) {
        mat10[i11][j12] = ((mat10[(i11 + 1) % mat10.length][j12] - u5[j12]) - x0);
      }
    }
    for (int i13 = u5.length - 2; i13 >= 0; i13--) {
      u5[i13] = Math.atan(u5[i13 + 1] * 0.8 + (x0 - x0)) + 0.5 * u5[i13];
    }
    for (int i14 = 0; i14 < v1.length; i14++) {
      for (double e15 : w6) {
        double[][] mat16 = new double[3][3];
        for (int i17 = 0; i17 < mat16.length; i17++) {
          for (int j18 = 0; j18 < mat16[i17].length; j18++) {
            mat16[i17][j18] = ((s1(u5) > 0.3 && (e15 * mat16[i17][mat16[0].length - 1 - j18]) < (((double) j18 / 4) - x0)) ? Math.cos(e15) : Math.log(1.0 + e15 * e15));
          }
        }
        for (int i19 = 0; i19 < mat16.length; i19++) {
          v1[i14] = v1[i14] * Math.sin((w6[i14] * (x0 + e15)));
        }
      }
    }
    double[] tmp20 = u5;
    u5 = v1;
    v1 = tmp20;
    for (double e21 : v0) {
      double d22 = w6[0];
      double d23 = (steps > 1 ? (s0(3.0, 0.5) - (d22 - e21)) : 0.5);
      mat10[1][2] = mat10[1][2] * Math.tanh(Math.cosh(Math.tanh(x0)));
    }
    for (int i24 = w6.length - 1; i24 >= 0; i24--) {
    }
    double acc25 = 0.0;
    for (int i26 = 0; i26 < v1.length; i26++) {
      acc25 += v1[i26] * w6[i26];
    }
    return (s0(w6[2], mat10[2][2]) - Math.hypot(u5[0], 0.5)) + acc25 + x0 + x0 + x0;
  }
}
