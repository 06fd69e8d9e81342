package org.rad.gradbench.evals;

import org.rad.annotations.Differentiable;

/**
 * GradBench's ode eval: s classical Runge-Kutta steps on [0, 2] for y0' = x0, yi' = xi y(i-1),
 * from y = 0.
 */
public final class Ode {

  private Ode() {}

  /** The last component of the solution: what the eval's gradient differentiates. */
  @Differentiable(wrt = "x")
  public static double last(double[] x, int s) {
    double[] y = solve(x, s);
    return y[y.length - 1];
  }

  /** The solution at t = 2 (the eval's primal). */
  public static double[] solve(double[] x, int s) {
    int n = x.length;
    double h = 2.0 / s;
    double[] k1 = new double[n];
    double[] k2 = new double[n];
    double[] k3 = new double[n];
    double[] k4 = new double[n];
    double[] yTmp = new double[n];
    double[] y = new double[n];
    for (int step = 0; step < s; step++) {
      derivative(x, y, k1);
      for (int i = 0; i < n; i++) {
        yTmp[i] = y[i] + h * k1[i] / 2;
      }
      derivative(x, yTmp, k2);
      for (int i = 0; i < n; i++) {
        yTmp[i] = y[i] + h * k2[i] / 2;
      }
      derivative(x, yTmp, k3);
      for (int i = 0; i < n; i++) {
        yTmp[i] = y[i] + h * k3[i];
      }
      derivative(x, yTmp, k4);
      for (int i = 0; i < n; i++) {
        y[i] += h * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) / 6;
      }
    }
    return y;
  }

  /** z = f(x, y): z0 = x0, zi = xi y(i-1). */
  static void derivative(double[] x, double[] y, double[] z) {
    z[0] = x[0];
    for (int i = 1; i < x.length; i++) {
      z[i] = x[i] * y[i - 1];
    }
  }
}
