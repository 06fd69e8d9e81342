package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: the inviscid Burgers equation by Godunov's finite-volume scheme, as a numerics
 * course writes it: the interface flux is a helper with early returns (the exact Riemann solution
 * of a convex flux), the update swaps two buffers. The loss weighs the final state; the gradient
 * is with respect to the initial state.
 */
public final class Burgers {
  private Burgers() {}

  static double flux(double u) {
    return 0.5 * u * u;
  }

  /** The Godunov flux between states ul and ur. */
  static double godunov(double ul, double ur) {
    if (ul <= ur) {
      if (ul > 0) {
        return flux(ul);
      }
      if (ur < 0) {
        return flux(ur);
      }
      return 0.0;
    }
    return Math.max(flux(ul), flux(ur));
  }

  @Differentiable(wrt = "u0")
  public static double loss(double[] u0, int steps, double lambda) {
    int n = u0.length;
    double[] u = u0.clone();
    double[] next = new double[n];
    double[] fl = new double[n + 1];
    for (int t = 0; t < steps; t++) {
      for (int i = 1; i < n; i++) {
        fl[i] = godunov(u[i - 1], u[i]);
      }
      fl[0] = fl[1];
      fl[n] = fl[n - 1];
      for (int i = 0; i < n; i++) {
        next[i] = u[i] - lambda * (fl[i + 1] - fl[i]);
      }
      double[] tmp = u;
      u = next;
      next = tmp;
    }
    double s = 0;
    for (int i = 0; i < n; i++) {
      s += u[i] * u[i] * Math.sin(i);
    }
    return s;
  }
}
