package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;

/**
 * Zoo style 2, row references with scalar temporaries, as a performance-minded Java programmer
 * writes a stencil: {@code double[] up = phi[i + 1], mid = phi[i], out = next[i]; double p = mid[j];}.
 */
public final class ReactorRows {
  static final double D = 0.25;

  private ReactorRows() {}

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
    @Randomize(fraction = 0.01)
    double[][] phi = new double[n + 1][n + 1];
    double[][] next = new double[n + 1][n + 1];
    double[] sx = new double[n + 1];
    double[] s2x = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      sx[i] = Math.sin(Math.PI * i * dx);
      s2x[i] = Math.sin(2 * Math.PI * i * dx);
    }
    for (int i = 0; i <= n; i++) {
      double[] row = phi[i];
      for (int j = 0; j <= n; j++) {
        row[j] = sx[i] * sx[j];
      }
    }
    double r = D * dt / (dx * dx);
    double total = 0;
    for (int k = 1; k <= steps; k++) {
      double t = k * dt;
      for (int i = 1; i < n; i++) {
        double reaction = dt * control(theta, i * dx, t);
        double[] up = phi[i + 1], mid = phi[i], down = phi[i - 1], out = next[i];
        for (int j = 1; j < n; j++) {
          double p = mid[j];
          out[j] = p + r * (up[j] + down[j] + mid[j + 1] + mid[j - 1] - 4 * p) + reaction * p;
        }
      }
      double[][] tmp = phi;
      phi = next;
      next = tmp;
      double a = 0.25 * Math.sin(Math.PI * t);
      double sum = 0;
      for (int i = 0; i <= n; i++) {
        double[] row = phi[i];
        double wave = sx[i] + a * s2x[i];
        for (int j = 0; j <= n; j++) {
          double e = row[j] - wave * sx[j];
          sum += e * e;
        }
      }
      total += dt * sum / ((n + 1) * (n + 1));
    }
    return total;
  }
}
