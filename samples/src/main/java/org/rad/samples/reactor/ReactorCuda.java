package org.rad.samples.reactor;

import org.rad.annotations.Differentiable;
import org.rad.annotations.Randomize;
import org.rad.annotations.Target;

/**
 * {@link Reactor}'s loss, word for word, with {@code target = Target.CUDA}: the processor turns its
 * parallel loop nests (the field's initialisation, the stencil step and its records, the loss's sum
 * over the grid, and their adjoints) into CUDA kernels embedded in {@code ReactorCudaGrad}, which
 * runs them on an NVIDIA GPU when one is present and runs the CPU code otherwise. The time loop
 * stays on the host and launches them; the field stays on the device between steps.
 */
public final class ReactorCuda {
  /** Diffusion coefficient. */
  static final double D = 0.25;

  private ReactorCuda() {}

  /**
   * The control: C(x, t; theta) = th0 + th1 sin(pi t) + th2 cos(pi t) + th3 sin(2 pi x) sin(pi t)
   * + th4 sin(2 pi x) cos(pi t) + th5 cos(2 pi x) sin(pi t) + th6 cos(2 pi x) cos(pi t).
   */
  static double source(double[] theta, double x, double t) {
    double st = Math.sin(Math.PI * t);
    double ct = Math.cos(Math.PI * t);
    double s2x = Math.sin(2 * Math.PI * x);
    double c2x = Math.cos(2 * Math.PI * x);
    return theta[0] + theta[1] * st + theta[2] * ct
        + theta[3] * s2x * st + theta[4] * s2x * ct
        + theta[5] * c2x * st + theta[6] * c2x * ct;
  }

  /** The target flux: phi_0 + 0.25 sin(pi t) sin(2 pi x) sin(pi y). */
  static double target(double x, double y, double t) {
    return Math.sin(Math.PI * x) * Math.sin(Math.PI * y)
        + 0.25 * Math.sin(Math.PI * t) * Math.sin(2 * Math.PI * x) * Math.sin(Math.PI * y);
  }

  /**
   * L(theta) = sum over k = 1..steps of dt * mean over all nodes of (phi_k - target(t_k))^2, where
   * phi_0 = sin(pi x) sin(pi y) on an (n+1) x (n+1) grid with spacing 1/n, and step k advances
   * phi_{k-1} to phi_k with the source evaluated at t_k = k dt.
   */
  @Differentiable(wrt = "theta", target = Target.CUDA)
  public static double loss(double[] theta, int n, int steps, double dt) {
    double dx = 1.0 / n;
    // The field is what the reverse sweep must remember, one value per cell per step. Marked for
    // randomized AD: its records keep a 1% sample, scaled by 1/f (RadContext.exact() keeps all).
    @Randomize(fraction = 0.01)
    double[][] phi = new double[n + 1][n + 1];
    double[][] next = new double[n + 1][n + 1];
    for (int i = 0; i <= n; i++) {
      for (int j = 0; j <= n; j++) {
        phi[i][j] = Math.sin(Math.PI * i * dx) * Math.sin(Math.PI * j * dx);
      }
    }
    // The target's spatial factors, tabulated once: sin(pi x), sin(2 pi x) at the nodes.
    double[] sinPi = new double[n + 1];
    double[] sin2Pi = new double[n + 1];
    for (int i = 0; i <= n; i++) {
      sinPi[i] = Math.sin(Math.PI * i * dx);
      sin2Pi[i] = Math.sin(2 * Math.PI * i * dx);
    }
    double diffusion = D * dt / (dx * dx);
    double nodes = (n + 1) * (n + 1);
    double loss = 0;
    for (int k = 1; k <= steps; k++) {
      double t = k * dt;
      for (int i = 1; i < n; i++) {
        double c = source(theta, i * dx, t);
        for (int j = 1; j < n; j++) {
          double laplacian = phi[i + 1][j] + phi[i - 1][j] + phi[i][j + 1] + phi[i][j - 1] - 4 * phi[i][j];
          next[i][j] = phi[i][j] + diffusion * laplacian + dt * c * phi[i][j];
        }
      }
      double[][] swap = phi;
      phi = next;
      next = swap;
      double wave = 0.25 * Math.sin(Math.PI * t);
      double error = 0;
      for (int i = 0; i <= n; i++) {
        for (int j = 0; j <= n; j++) {
          // target(x, y, t) = sin(pi x) sin(pi y) + 0.25 sin(pi t) sin(2 pi x) sin(pi y)
          double d = phi[i][j] - (sinPi[i] + wave * sin2Pi[i]) * sinPi[j];
          error += d * d;
        }
      }
      loss += dt * error / nodes;
    }
    return loss;
  }
}
