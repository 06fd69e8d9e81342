package org.rad.samples.zoo;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.rad.runtime.RadContext;

/**
 * The zoo's small function ({@link SmallFunction#tiny}) at a million data points: the primal
 * evaluates it at each (summing the outputs), the gradient calls its generated gradient at each,
 * accumulating the weights' gradient of the sum, as a training loop over single examples does.
 * The inputs cycle through 1,024 seeded points.
 *
 * <p>What one call's reverse sweep needs: the first layer's {@code h[0]} and {@code h[1]}, read by
 * the partials of {@code w[8] * h[0]} and {@code w[11] * h[1]} and overwritten by the second
 * layer: 16 bytes. The tape column is the largest call's.
 */
final class SmallFunctionEntry extends ZooEntry {
  private static final int POINTS = 1024;
  private int calls;
  private double[] w;
  private double[][] xs;
  private double[] wBar;
  private long maxTape;

  @Override
  public void setUp(boolean full) {
    calls = 1_000_000;
    SplittableRandom random = new SplittableRandom(40);
    w = ZooData.uniform(random, 1, 14, -1, 1)[0];
    xs = ZooData.uniform(random, POINTS, 4, -2, 2);
    wBar = new double[14];
  }

  @Override
  public String name() {
    return "small-function";
  }

  @Override
  public String size() {
    return "~40 flops, " + calls + " gradient calls";
  }

  @Override
  public double primal() {
    double sum = 0;
    for (int k = 0; k < calls; k++) {
      sum += SmallFunction.tiny(w, xs[k & (POINTS - 1)]);
    }
    return sum;
  }

  @Override
  public double gradient(RadContext ctx) {
    Arrays.fill(wBar, 0);
    double sum = 0;
    long tape = 0;
    for (int k = 0; k < calls; k++) {
      sum += SmallFunctionGrad.tiny(w, xs[k & (POINTS - 1)], wBar, ctx);
      tape = Math.max(tape, ctx.peakTapeBytes());
    }
    maxTape = tape;
    return sum + wBar[0];
  }

  @Override
  public long tapeBytes(RadContext ctx) {
    return maxTape;
  }

  @Override
  public long needBytes() {
    return 16;
  }

  @Override
  public String needRule() {
    return "16 per gradient call (tape column: the largest call): the first layer's h[0], h[1], overwritten by the second";
  }
}
