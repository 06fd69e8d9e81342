package org.rad.samples.zoo;

import org.rad.runtime.RadContext;

/**
 * Soft-DTW of the zoo ({@link SoftDtw}): two series of 300 points (full size: 1,000), gamma = 0.1.
 *
 * <p>What the reverse sweep needs: the table of costs, which the soft minima's partials read,
 * {@code 8 (n + 1) (m + 1)} bytes. Each cell is written once by the recurrence (its initial value
 * is read by nothing before that), so no old value is needed besides; the softmin's minimum is
 * recomputable from the table.
 */
final class SoftDtwEntry extends ZooEntry {
  private double[] x;
  private double[] y;
  private double[] xBar;

  @Override
  public void setUp(boolean full) {
    int n = full ? 1000 : 300;
    x = new double[n];
    y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = Math.sin(6.0 * i / n) + 0.1 * Math.cos(37.0 * i / n);
      y[i] = Math.sin(6.0 * i / n + 0.3);
    }
    xBar = new double[n];
  }

  @Override
  public String name() {
    return "soft-dtw";
  }

  @Override
  public String size() {
    return "n=m=" + x.length;
  }

  @Override
  public double primal() {
    return SoftDtw.distance(x, y, 0.1);
  }

  @Override
  public double gradient(RadContext ctx) {
    java.util.Arrays.fill(xBar, 0);
    return SoftDtwGrad.distance(x, y, 0.1, xBar, ctx) + xBar[0];
  }

  @Override
  public long needBytes() {
    return 8L * (x.length + 1) * (y.length + 1);
  }

  @Override
  public String needRule() {
    return "8 (n+1)(m+1): the table of costs, read by the soft minima's partials; each cell written once";
  }
}
