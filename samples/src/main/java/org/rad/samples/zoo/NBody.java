package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: a planar n-body problem by velocity Verlet (leapfrog), as a physics course writes it:
 * a helper zeroes the accelerations and adds each pair's softened gravity into them, the step
 * kicks the velocities with them and drifts the positions. The loss is the distance of body 0
 * from a target; the gradient is with respect to the initial velocities and the masses.
 */
public final class NBody {
  private NBody() {}

  /** Zeroes {@code acc} and adds into it each pair's softened attraction. */
  static void forces(double[][] pos, double[] mass, double[][] acc, double eps) {
    int n = pos.length;
    for (double[] a : acc) {
      a[0] = 0;
      a[1] = 0;
    }
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double dx = pos[j][0] - pos[i][0];
        double dy = pos[j][1] - pos[i][1];
        double r2 = dx * dx + dy * dy + eps * eps;
        double inv = 1 / (r2 * Math.sqrt(r2));
        acc[i][0] += mass[j] * dx * inv;
        acc[i][1] += mass[j] * dy * inv;
        acc[j][0] -= mass[i] * dx * inv;
        acc[j][1] -= mass[i] * dy * inv;
      }
    }
  }

  @Differentiable(wrt = {"v0", "mass"})
  public static double miss(double[][] x0, double[][] v0, double[] mass, int steps, double dt, double tx, double ty) {
    int n = x0.length;
    double[][] pos = new double[n][2];
    double[][] vel = new double[n][2];
    double[][] acc = new double[n][2];
    for (int i = 0; i < n; i++) {
      pos[i][0] = x0[i][0];
      pos[i][1] = x0[i][1];
      vel[i][0] = v0[i][0];
      vel[i][1] = v0[i][1];
    }
    forces(pos, mass, acc, 0.1);
    for (int s = 0; s < steps; s++) {
      for (int i = 0; i < n; i++) {
        double[] v = vel[i];
        double[] a = acc[i];
        double[] p = pos[i];
        v[0] += 0.5 * dt * a[0];
        v[1] += 0.5 * dt * a[1];
        p[0] += dt * v[0];
        p[1] += dt * v[1];
      }
      forces(pos, mass, acc, 0.1);
      for (int i = 0; i < n; i++) {
        vel[i][0] += 0.5 * dt * acc[i][0];
        vel[i][1] += 0.5 * dt * acc[i][1];
      }
    }
    double ex = pos[0][0] - tx;
    double ey = pos[0][1] - ty;
    return ex * ex + ey * ey;
  }
}
