package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;

/**
 * Zoo style 6 written in two dimensions: two time slices stacked in one array, the step reading
 * slice {@code (k - 1) % 2} and writing slice {@code k % 2}, the way a time-level index is often
 * kept instead of swapping references. Slice {@code s} is rows {@code s (n + 1) .. s (n + 1) + n}
 * of one {@code double[2 (n + 1)][n + 1]}: the form the zoo measured while rad rejected the
 * natural {@code double[][][] phi = new double[2][n + 1][n + 1]} ({@link ReactorSlices3D}, entry
 * {@code reactor-3d}).
 */
public final class ReactorSlices {
  static final double D = 0.25;

  private ReactorSlices() {}

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
    int m = n + 1;
    @Randomize(fraction = 0.01)
    double[][] phi = new double[2 * m][m];
    double[] sx = new double[m];
    double[] s2x = new double[m];
    for (int i = 0; i <= n; i++) {
      sx[i] = Math.sin(Math.PI * i * dx);
      s2x[i] = Math.sin(2 * Math.PI * i * dx);
    }
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        phi[i][j] = sx[i] * sx[j];
      }
    }
    double r = D * dt / (dx * dx);
    double total = 0;
    for (int k = 1; k <= steps; k++) {
      int from = ((k - 1) % 2) * m;
      int to = (k % 2) * m;
      double t = k * dt;
      for (int i = 1; i < n; i++) {
        double c = control(theta, i * dx, t);
        for (int j = 1; j < n; j++) {
          phi[to + i][j] = phi[from + i][j]
              + r * (phi[from + i + 1][j] + phi[from + i - 1][j] + phi[from + i][j + 1] + phi[from + i][j - 1] - 4 * phi[from + i][j])
              + dt * c * phi[from + i][j];
        }
      }
      double a = 0.25 * Math.sin(Math.PI * t);
      double sum = 0;
      for (int i = 0; i <= n; i++) {
        for (int j = 0; j <= n; j++) {
          double e = phi[to + i][j] - (sx[i] + a * s2x[i]) * sx[j];
          sum += e * e;
        }
      }
      total += dt * sum / (m * m);
    }
    return total;
  }
}
