package org.rad.samples.reactor;

import java.util.SplittableRandom;

/** The constants of the paper's reactor experiment (appendix B). */
public final class ReactorProblem {
  /** Time step: 1/4096. */
  public static final double DT = 1.0 / 4096;
  /** Grid intervals a side: dx = 1/32. */
  public static final int GRID = 32;
  /** Steps of the paper's run: t from 0 to 10. */
  public static final int PAPER_STEPS = 40960;
  /** th0 = 4.932 (the steady state), th1..th6 the draws the paper's code starts from. */
  private static final double[] INITIAL = {4.932, 0.0523650, 0.0646851, 0.0770119, 0.0523408, -0.0419167, -0.0315797};

  private ReactorProblem() {}

  public static double[] initialTheta() {
    return INITIAL.clone();
  }

  /** th0 = 4.932 and th1..th6 drawn from U(-0.1, 0.1) with {@code seed}. */
  public static double[] randomTheta(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] theta = INITIAL.clone();
    for (int k = 1; k < theta.length; k++) {
      theta[k] = random.nextDouble(-0.1, 0.1);
    }
    return theta;
  }
}
