package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;

/**
 * Zoo style 5, loop-invariant code hoisted by hand: the time factors of the control
 * ({@code sin(pi t)}, {@code cos(pi t)} and the three theta combinations they multiply) are
 * computed once per step, the spatial factors once per run, so the cell loops only combine them:
 * {@code c = a + bs * sin(2 pi x_i) + bc * cos(2 pi x_i)}.
 */
public final class ReactorHoisted {
  static final double D = 0.25;

  private ReactorHoisted() {}

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
      for (int j = 0; j <= n; j++) {
        phi[i][j] = sx[i] * sx[j];
      }
    }
    double r = D * dt / (dx * dx);
    double total = 0;
    for (int k = 1; k <= steps; k++) {
      double t = k * dt;
      double st = Math.sin(Math.PI * t);
      double ct = Math.cos(Math.PI * t);
      // C(x, t) = a(t) + bs(t) sin(2 pi x) + bc(t) cos(2 pi x)
      double a = theta[0] + theta[1] * st + theta[2] * ct;
      double bs = theta[3] * st + theta[4] * ct;
      double bc = theta[5] * st + theta[6] * ct;
      for (int i = 1; i < n; i++) {
        double c = a + bs * s2x[i] + bc * c2x[i];
        for (int j = 1; j < n; j++) {
          next[i][j] = phi[i][j]
              + r * (phi[i + 1][j] + phi[i - 1][j] + phi[i][j + 1] + phi[i][j - 1] - 4 * phi[i][j])
              + dt * c * phi[i][j];
        }
      }
      double[][] tmp = phi;
      phi = next;
      next = tmp;
      double wave = 0.25 * st;
      double sum = 0;
      for (int i = 0; i <= n; i++) {
        for (int j = 0; j <= n; j++) {
          double e = phi[i][j] - (sx[i] + wave * s2x[i]) * sx[j];
          sum += e * e;
        }
      }
      total += dt * sum / ((n + 1) * (n + 1));
    }
    return total;
  }
}
