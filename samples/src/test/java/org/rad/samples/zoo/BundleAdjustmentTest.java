package org.rad.samples.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** One row of the ADBench BA Jacobian as one generated gradient call, against central differences. */
class BundleAdjustmentTest {
  static final double[] CAM = {0.1, -0.05, 0.2, 0.3, -0.2, 0.1, 500, 0.4, -0.3, 1e-3, -2e-6};
  static final double[] POINT = {0.8, -1.1, 7.0};
  static final double W = 0.9;
  static final double[] FEAT = {0, 0, 40.0, -70.0}; // the observation's feature at offset 2

  @Test
  void reprojectionRowsMatchCentralDifferences() {
    for (int row = 0; row < 2; row++) {
      int r = row;
      double[] x0 = new double[15];
      System.arraycopy(CAM, 0, x0, 0, 11);
      System.arraycopy(POINT, 0, x0, 11, 3);
      x0[14] = W;
      // h = 1e-6 relative to values up to 500; residuals of order 100: rounding ~1e-14 * 100 / 1e-6
      GradCheck.assertGradient(
          p -> BundleAdjustment.reprojErrorRow(Arrays.copyOf(p, 11), Arrays.copyOfRange(p, 11, 14), p[14], FEAT, 2, r),
          (p, grad) -> {
            double[] camBar = new double[11];
            double[] ptBar = new double[3];
            double[] wBar = new double[1];
            double value = BundleAdjustmentGrad.reprojErrorRow(Arrays.copyOf(p, 11), Arrays.copyOfRange(p, 11, 14), p[14],
                FEAT, 2, r, camBar, ptBar, wBar, RadContext.exact());
            System.arraycopy(camBar, 0, grad, 0, 11);
            System.arraycopy(ptBar, 0, grad, 11, 3);
            grad[14] = wBar[0];
            return value;
          }, x0, 1e-6, 1e-6, 1e-6);
    }
  }

  @Test
  void weightRowIsMinusTwoW() {
    double[] wBar = new double[1];
    assertEquals(1 - W * W, BundleAdjustmentGrad.zachWeightError(W, wBar, RadContext.exact()), 0.0);
    assertEquals(-2 * W, wBar[0], 1e-15);
  }

  /** With no rotation, no distortion, f = 1 and no principal point, the projection is X / Z. */
  @Test
  void projectionOfAnUnrotatedPinholeIsXOverZ() {
    double[] cam = new double[11];
    cam[6] = 1;
    cam[3] = 0.5; // centre
    double[] proj = new double[2];
    BundleAdjustment.project(cam, new double[] {1.5, 2.0, 4.0}, proj);
    assertEquals(1.0 / 4.0, proj[0], 1e-15);
    assertEquals(2.0 / 4.0, proj[1], 1e-15);
  }
}
