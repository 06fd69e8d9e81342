package org.rad.samples.zoo;

import org.rad.annotations.Differentiable;

/**
 * Zoo entry: the bundle adjustment objective of ADBench (microsoft/ADBench, {@code src/cpp/shared/ba.h}
 * with {@code cross} of {@code matrix.h} and the camera layout of {@code defs.h}), ported to Java by
 * hand, and its Jacobian computed the way a user of a reverse-mode tool computes it: one gradient
 * call per residual row.
 *
 * <p>A camera is 11 values {@code [r1 r2 r3 C1 C2 C3 f u0 v0 k1 k2]}: angle-axis rotation, centre,
 * focal length, principal point, radial distortion. Where the C++ passes {@code &cam[9]} this port
 * passes the camera and the offset.
 */
public final class BundleAdjustment {
  static final int NCAMPARAMS = 11;
  static final int ROT_IDX = 0;
  static final int C_IDX = 3;
  static final int F_IDX = 6;
  static final int X0_IDX = 7;
  static final int RAD_IDX = 9;

  private BundleAdjustment() {}

  static double sqsum(int n, double[] x, int off) {
    double res = 0;
    for (int i = 0; i < n; i++) {
      res = res + x[off + i] * x[off + i];
    }
    return res;
  }

  static void cross(double[] a, double[] b, double[] out) {
    out[0] = a[1] * b[2] - a[2] * b[1];
    out[1] = a[2] * b[0] - a[0] * b[2];
    out[2] = a[0] * b[1] - a[1] * b[0];
  }

  /** Rotates {@code pt} by the angle-axis vector at {@code cam[0..2]} (Rodrigues' formula, as Ceres evaluates it). */
  static void rodriguesRotatePoint(double[] rot, double[] pt, double[] rotatedPt) {
    double sqtheta = sqsum(3, rot, ROT_IDX);
    if (sqtheta != 0) {
      double theta;
      double costheta;
      double sintheta;
      double thetaInverse;
      double tmp;
      double[] w = new double[3];
      double[] wCrossPt = new double[3];

      theta = Math.sqrt(sqtheta);
      costheta = Math.cos(theta);
      sintheta = Math.sin(theta);
      thetaInverse = 1.0 / theta;

      for (int i = 0; i < 3; i++) {
        w[i] = rot[ROT_IDX + i] * thetaInverse;
      }

      cross(w, pt, wCrossPt);

      tmp = (w[0] * pt[0] + w[1] * pt[1] + w[2] * pt[2]) * (1. - costheta);

      for (int i = 0; i < 3; i++) {
        rotatedPt[i] = pt[i] * costheta + wCrossPt[i] * sintheta + w[i] * tmp;
      }
    } else {
      double[] rotCrossPt = new double[3];
      cross(rot, pt, rotCrossPt);

      for (int i = 0; i < 3; i++) {
        rotatedPt[i] = pt[i] + rotCrossPt[i];
      }
    }
  }

  static void radialDistort(double[] radParams, int off, double[] proj) {
    double rsq;
    double l;
    rsq = sqsum(2, proj, 0);
    l = 1. + radParams[off] * rsq + radParams[off + 1] * rsq * rsq;
    proj[0] = proj[0] * l;
    proj[1] = proj[1] * l;
  }

  static void project(double[] cam, double[] x, double[] proj) {
    double[] xo = new double[3];
    double[] xcam = new double[3];

    xo[0] = x[0] - cam[C_IDX];
    xo[1] = x[1] - cam[C_IDX + 1];
    xo[2] = x[2] - cam[C_IDX + 2];

    rodriguesRotatePoint(cam, xo, xcam);

    proj[0] = xcam[0] / xcam[2];
    proj[1] = xcam[1] / xcam[2];

    radialDistort(cam, RAD_IDX, proj);

    proj[0] = proj[0] * cam[F_IDX] + cam[X0_IDX];
    proj[1] = proj[1] * cam[F_IDX] + cam[X0_IDX + 1];
  }

  /** The two reprojection residuals of one observation, into {@code err}. */
  static void computeReprojError(double[] cam, double[] x, double w, double[] feat, int featOff, double[] err) {
    double[] proj = new double[2];
    project(cam, x, proj);

    err[0] = w * (proj[0] - feat[featOff]);
    err[1] = w * (proj[1] - feat[featOff + 1]);
  }

  /** Row {@code row} (0 or 1) of the reprojection residual: the function one gradient call differentiates. */
  @Differentiable(wrt = {"cam", "x", "w"})
  public static double reprojErrorRow(double[] cam, double[] x, double w, double[] feat, int featOff, int row) {
    double[] err = new double[2];
    computeReprojError(cam, x, w, feat, featOff, err);
    return err[row];
  }

  /** The weight residual {@code 1 - w^2} of one observation. */
  @Differentiable(wrt = "w")
  public static double zachWeightError(double w) {
    return 1 - w * w;
  }

  /**
   * The whole objective, as ADBench's {@code ba_objective}: {@code 2 p} reprojection residuals then
   * {@code p} weight residuals. {@code cam} and {@code pt} are scratch arrays the camera and the
   * point of each observation are copied into (Java has no pointer into the middle of an array).
   */
  public static void objective(int p, double[] cams, double[] xs, double[] w, int[] obs, double[] feats,
      double[] reprojErr, double[] wErr, double[] cam, double[] pt, double[] err) {
    for (int i = 0; i < p; i++) {
      int camIdx = obs[i * 2];
      int ptIdx = obs[i * 2 + 1];
      System.arraycopy(cams, camIdx * NCAMPARAMS, cam, 0, NCAMPARAMS);
      System.arraycopy(xs, ptIdx * 3, pt, 0, 3);
      computeReprojError(cam, pt, w[i], feats, i * 2, err);
      reprojErr[2 * i] = err[0];
      reprojErr[2 * i + 1] = err[1];
    }
    for (int i = 0; i < p; i++) {
      wErr[i] = zachWeightError(w[i]);
    }
  }
}
