package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;

/**
 * Zoo style 7, styles 2 and 5 together, as a performance-minded programmer writes it: row
 * references with scalar temporaries ({@code double[] up = phi[i + 1], mid = phi[i], out = next[i];
 * double p = mid[j];}), and the time factors of the control hoisted out of the cell loops, with the
 * spatial factors tabulated once.
 */
public final class ReactorRowsHoisted {
  static final double D = 0.25;

  private ReactorRowsHoisted() {}

  /** The reactor loss (see {@link org.rad.samples.reactor.Reactor#loss}). */
  @Differentiable(wrt = "theta")
  public static double loss(double[] theta, int n, int steps, double dt) {
    double dx = 1.0 / n;
    @Randomize(fraction = 0.01)
    double[][] phi = new double[n + 1][n + 1];
    double[][] next = new double[n + 1][n + 1];
    double[] sx = new double[n + 1];
    double[] s2x = new double[n + 1];
    double[] c2x = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      sx[i] = Math.sin(Math.PI * i * dx);
      s2x[i] = Math.sin(2 * Math.PI * (i * dx));
      c2x[i] = Math.cos(2 * Math.PI * (i * dx));
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
      double st = Math.sin(Math.PI * t);
      double ct = Math.cos(Math.PI * t);
      double a0 = theta[0] + theta[1] * st + theta[2] * ct;
      double bs = theta[3] * st + theta[4] * ct;
      double bc = theta[5] * st + theta[6] * ct;
      for (int i = 1; i < n; i++) {
        double reaction = dt * (a0 + bs * s2x[i] + bc * c2x[i]);
        double[] up = phi[i + 1], mid = phi[i], down = phi[i - 1], out = next[i];
        for (int j = 1; j < n; j++) {
          double p = mid[j];
          out[j] = p + r * (up[j] + down[j] + mid[j + 1] + mid[j - 1] - 4 * p) + reaction * p;
        }
      }
      double[][] tmp = phi;
      phi = next;
      next = tmp;
      double a = 0.25 * st;
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
