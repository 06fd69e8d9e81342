package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.rad.runtime.RadContext;

/**
 * The ADBench GMM of the zoo ({@link Gmm}) at d = 10, K = 25, n = 1,000 (full size: d = 64, where
 * the old values of linear updates, if taped, grow as d^2). Seeded synthetic data: alphas from
 * U(-1, 1), means and points from U(0, 1), icf from U(-0.5, 0.5); Wishart gamma = 1, m = 0.
 *
 * <p>What the reverse sweep needs (the rule of {@link ZooEntry#needBytes()}): per point and
 * component, {@code xcentered} (d values, read by the partials of {@code Qdiag[i] * x[i]} and
 * {@code ltri[k] * x[i]}) and the final {@code Qxcentered} (d values, read by sqnorm's square),
 * both overwritten by the next component; per point, {@code main_term} (K values, read by
 * logsumexp's exp), overwritten by the next point. The in-place updates
 * {@code out[j] = out[j] + ltri * x[i]} are linear: their old values are read by nothing; the
 * counter {@code Lparamsidx} is an integer. The last values written stay: total
 * {@code 8 (n K (2d + 1) - 2d - K)} bytes.
 */
final class GmmEntry extends ZooEntry {
  private int d;
  private int k;
  private int n;
  private double[] alphas;
  private double[] means;
  private double[] icf;
  private double[] x;
  private double[] alphasBar;
  private double[] meansBar;
  private double[] icfBar;

  @Override
  public void setUp(boolean full) {
    d = full ? 64 : 10;
    k = 25;
    n = 1000;
    SplittableRandom random = new SplittableRandom(13);
    alphas = ZooData.uniform(random, k, -1, 1);
    means = ZooData.uniform(random, d * k, 0, 1);
    icf = ZooData.uniform(random, d * (d + 1) / 2 * k, -0.5, 0.5);
    x = ZooData.uniform(random, d * n, 0, 1);
    alphasBar = new double[alphas.length];
    meansBar = new double[means.length];
    icfBar = new double[icf.length];
  }

  @Override
  public String name() {
    return "gmm";
  }

  @Override
  public String size() {
    return "d=" + d + ", K=" + k + ", n=" + n;
  }

  @Override
  public double primal() {
    return Gmm.objective(d, k, n, alphas, means, icf, x, 1.0, 0);
  }

  @Override
  public double gradient(RadContext ctx) {
    double value = GmmGrad.objective(d, k, n, alphas, means, icf, x, 1.0, 0, alphasBar, meansBar, icfBar, ctx);
    return value + alphasBar[0];
  }

  @Override
  public long needBytes() {
    return 8L * ((long) n * k * (2L * d + 1) - 2L * d - k);
  }

  @Override
  public String needRule() {
    return "8 (nK(2d+1) - 2d - K): xcentered and the final Qxcentered per point and component, main_term per point";
  }
}
