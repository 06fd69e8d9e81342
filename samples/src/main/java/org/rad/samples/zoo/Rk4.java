package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: a Lotka-Volterra model integrated by the classical Runge-Kutta method, written in
 * the functional style many users write it in: the right-hand side and the stage combination are
 * helpers that return new arrays, four stages and three combinations per step. The loss fits the
 * prey population to 1 along the whole trajectory; the gradient is with respect to the model's
 * four rates.
 */
public final class Rk4 {
  private Rk4() {}

  /** dy/dt of the predator-prey model with rates p: prey y[0], predators y[1]. */
  static double[] rhs(double[] p, double[] y) {
    double[] d = new double[2];
    d[0] = p[0] * y[0] - p[1] * y[0] * y[1];
    d[1] = p[2] * y[0] * y[1] - p[3] * y[1];
    return d;
  }

  /** y + h k, as a new array. */
  static double[] axpy(double[] y, double h, double[] k) {
    double[] r = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      r[i] = y[i] + h * k[i];
    }
    return r;
  }

  @Differentiable(wrt = "p")
  public static double loss(double[] p, double[] y0, int steps, double h) {
    double[] y = y0.clone();
    double l = 0;
    for (int s = 0; s < steps; s++) {
      double[] k1 = rhs(p, y);
      double[] k2 = rhs(p, axpy(y, h / 2, k1));
      double[] k3 = rhs(p, axpy(y, h / 2, k2));
      double[] k4 = rhs(p, axpy(y, h, k3));
      for (int i = 0; i < 2; i++) {
        y[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]);
      }
      l += (y[0] - 1) * (y[0] - 1);
    }
    return l * h;
  }
}
