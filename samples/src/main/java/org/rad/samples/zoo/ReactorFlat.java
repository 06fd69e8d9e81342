package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;

/**
 * Zoo style 3, flat arrays: the field is one {@code double[(n + 1) * (n + 1)]} in row-major order,
 * addressed through an index helper {@code idx(i, j, n)}, and the update of one cell is a stencil
 * helper method, as code ported from C or Fortran often looks.
 */
public final class ReactorFlat {
  static final double D = 0.25;

  private ReactorFlat() {}

  /** Row-major position of node (i, j) on an (n + 1) x (n + 1) grid. */
  static int idx(int i, int j, int n) {
    return i * (n + 1) + j;
  }

  /** One explicit step of cell (i, j): phi + r * laplacian(phi) + reaction * phi. */
  static double stencil(double[] f, int i, int j, int n, double r, double reaction) {
    double p = f[idx(i, j, n)];
    double lap = f[idx(i + 1, j, n)] + f[idx(i - 1, j, n)] + f[idx(i, j + 1, n)] + f[idx(i, j - 1, n)] - 4 * p;
    return p + r * lap + reaction * p;
  }

  static double control(double[] theta, double x, double t) {
    double st = Math.sin(Math.PI * t);
    double ct = Math.cos(Math.PI * t);
    double s2x = Math.sin(2 * Math.PI * x);
    double c2x = Math.cos(2 * Math.PI * x);
    return theta[0] + theta[1] * st + theta[2] * ct
        + theta[3] * s2x * st + theta[4] * s2x * ct
        + theta[5] * c2x * st + theta[6] * c2x * ct;
  }

  /** The reactor loss (see {@link org.rad.samples.reactor.Reactor#loss}). */
  @Differentiable(wrt = "theta")
  public static double loss(double[] theta, int n, int steps, double dt) {
    double dx = 1.0 / n;
    int size = (n + 1) * (n + 1);
    @Randomize(fraction = 0.01)
    double[] phi = new double[size];
    double[] next = new double[size];
    double[] sx = new double[n + 1];
    double[] s2x = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      sx[i] = Math.sin(Math.PI * i * dx);
      s2x[i] = Math.sin(2 * Math.PI * i * dx);
    }
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        phi[idx(i, j, n)] = sx[i] * sx[j];
      }
    }
    double r = D * dt / (dx * dx);
    double total = 0;
    for (int k = 1; k <= steps; k++) {
      double t = k * dt;
      for (int i = 1; i < n; i++) {
        double reaction = dt * control(theta, i * dx, t);
        for (int j = 1; j < n; j++) {
          next[idx(i, j, n)] = stencil(phi, i, j, n, r, reaction);
        }
      }
      double[] tmp = phi;
      phi = next;
      next = tmp;
      double a = 0.25 * Math.sin(Math.PI * t);
      double sum = 0;
      for (int i = 0; i <= n; i++) {
        for (int j = 0; j <= n; j++) {
          double e = phi[idx(i, j, n)] - (sx[i] + a * s2x[i]) * sx[j];
          sum += e * e;
        }
      }
      total += dt * sum / size;
    }
    return total;
  }
}
