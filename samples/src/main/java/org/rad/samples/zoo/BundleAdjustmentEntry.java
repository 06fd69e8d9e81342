package org.rad.samples.zoo;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rad.runtime.RadContext;

/**
 * The ADBench bundle adjustment of the zoo ({@link BundleAdjustment}) at the size of ADBench's
 * {@code ba1_n49_m7776_p31843}: 49 cameras, 7,776 points, 31,843 observations, made up the way
 * ADBench's reader replicates its data (observation i sees camera i mod n and point i mod m), with
 * seeded synthetic values: points 5 to 10 in front of the cameras, small rotations, focal lengths
 * around 500, features near the projections.
 *
 * <p>The primal is the whole objective (2 p + p residuals); the gradient is the Jacobian by rows:
 * for each observation two gradient calls of {@link BundleAdjustment#reprojErrorRow} (15
 * derivatives each: camera, point, weight) and one of {@link BundleAdjustment#zachWeightError}.
 * The tape reported is the largest of one call. What one call's reverse sweep needs (the rule of
 * {@link ZooEntry#needBytes()}): {@code proj[0]} and {@code proj[1]} are overwritten twice (radial
 * distortion, then focal length and principal point) and their old values are read by the
 * partials of {@code proj * L} and {@code proj * f}: 4 doubles, 32 bytes; every other array is
 * written once.
 */
final class BundleAdjustmentEntry extends ZooEntry {
  private int nCams;
  private int nPoints;
  private int p;
  private double[] cams;
  private double[] xs;
  private double[] w;
  private int[] obs;
  private double[] feats;
  private double[] reprojErr;
  private double[] wErr;
  private final double[] cam = new double[BundleAdjustment.NCAMPARAMS];
  private final double[] pt = new double[3];
  private final double[] err = new double[2];
  private final double[] camBar = new double[BundleAdjustment.NCAMPARAMS];
  private final double[] ptBar = new double[3];
  private final double[] wBar = new double[1];
  /** The Jacobian: 15 values per reprojection row, then 1 per weight row. */
  private double[] jacobian;
  private long maxTape;

  @Override
  public void setUp(boolean full) {
    nCams = 49;
    nPoints = 7776;
    p = 31843;
    SplittableRandom random = new SplittableRandom(14);
    cams = new double[BundleAdjustment.NCAMPARAMS * nCams];
    for (int c = 0; c < nCams; c++) {
      int o = c * BundleAdjustment.NCAMPARAMS;
      for (int r = 0; r < 3; r++) {
        cams[o + r] = random.nextDouble(-0.2, 0.2);
        cams[o + 3 + r] = random.nextDouble(-1, 1);
      }
      cams[o + 6] = random.nextDouble(400, 600);
      cams[o + 7] = random.nextDouble(-1, 1);
      cams[o + 8] = random.nextDouble(-1, 1);
      cams[o + 9] = random.nextDouble(-1e-3, 1e-3);
      cams[o + 10] = random.nextDouble(-1e-6, 1e-6);
    }
    xs = new double[3 * nPoints];
    for (int m = 0; m < nPoints; m++) {
      xs[3 * m] = random.nextDouble(-2, 2);
      xs[3 * m + 1] = random.nextDouble(-2, 2);
      xs[3 * m + 2] = random.nextDouble(5, 10);
    }
    w = ZooData.uniform(random, p, 0.5, 1.5);
    obs = new int[2 * p];
    feats = new double[2 * p];
    for (int i = 0; i < p; i++) {
      obs[2 * i] = i % nCams;
      obs[2 * i + 1] = i % nPoints;
    }
    reprojErr = new double[2 * p];
    wErr = new double[p];
    // features: the projection (a residual with weight 1 and feature 0), plus a few pixels of noise
    for (int i = 0; i < p; i++) {
      System.arraycopy(cams, obs[2 * i] * BundleAdjustment.NCAMPARAMS, cam, 0, BundleAdjustment.NCAMPARAMS);
      System.arraycopy(xs, obs[2 * i + 1] * 3, pt, 0, 3);
      BundleAdjustment.computeReprojError(cam, pt, 1.0, new double[2], 0, err);
      feats[2 * i] = err[0] + random.nextDouble(-3, 3);
      feats[2 * i + 1] = err[1] + random.nextDouble(-3, 3);
    }
    jacobian = new double[2 * p * 15 + p];
  }

  @Override
  public String name() {
    return "ba";
  }

  @Override
  public String size() {
    return "n=" + nCams + ", m=" + nPoints + ", p=" + p + " (" + (3 * p) + " gradient calls)";
  }

  @Override
  public double primal() {
    BundleAdjustment.objective(p, cams, xs, w, obs, feats, reprojErr, wErr, cam, pt, err);
    return reprojErr[0] + wErr[p - 1];
  }

  @Override
  public double gradient(RadContext ctx) {
    long tape = 0;
    double sum = 0;
    for (int i = 0; i < p; i++) {
      System.arraycopy(cams, obs[2 * i] * BundleAdjustment.NCAMPARAMS, cam, 0, BundleAdjustment.NCAMPARAMS);
      System.arraycopy(xs, obs[2 * i + 1] * 3, pt, 0, 3);
      for (int row = 0; row < 2; row++) {
        Arrays.fill(camBar, 0);
        Arrays.fill(ptBar, 0);
        wBar[0] = 0;
        sum += BundleAdjustmentGrad.reprojErrorRow(cam, pt, w[i], feats, 2 * i, row, camBar, ptBar, wBar, ctx);
        tape = Math.max(tape, ctx.peakTapeBytes());
        int o = (2 * i + row) * 15;
        System.arraycopy(camBar, 0, jacobian, o, BundleAdjustment.NCAMPARAMS);
        System.arraycopy(ptBar, 0, jacobian, o + BundleAdjustment.NCAMPARAMS, 3);
        jacobian[o + 14] = wBar[0];
      }
    }
    int o = 2 * p * 15;
    for (int i = 0; i < p; i++) {
      wBar[0] = 0;
      sum += BundleAdjustmentGrad.zachWeightError(w[i], wBar, ctx);
      tape = Math.max(tape, ctx.peakTapeBytes());
      jacobian[o + i] = wBar[0];
    }
    maxTape = tape;
    return sum + jacobian[0] + jacobian[o];
  }

  @Override
  public long tapeBytes(RadContext ctx) {
    return maxTape;
  }

  @Override
  public long needBytes() {
    return 32;
  }

  @Override
  public String needRule() {
    return "32 per gradient call (tape column: the largest call): proj[0], proj[1] before radial distortion and before scaling by f";
  }
}
