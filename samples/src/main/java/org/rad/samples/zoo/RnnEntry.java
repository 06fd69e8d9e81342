package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.rad.runtime.RadContext;

/**
 * The vanilla RNN of the zoo ({@link Rnn}): H = 64 hidden units, X = 16 inputs, T = 500 steps
 * (full size: H = 128, X = 32, T = 1,000), weights drawn from U(-1/sqrt(H), 1/sqrt(H)).
 *
 * <p>What the reverse sweep needs: {@code tanh'(a) = 1 - h^2} reads the step's output h_t, and the
 * derivative of {@code W h_{t-1}} with respect to W reads h_{t-1}: both are the hidden states
 * h_0 .. h_T. The buffer swap overwrites h_t two steps later, so all but the last two states are
 * gone by the reverse sweep: {@code 8 H (T - 1)} bytes. The pre-activation is not needed (tanh'
 * from the output), nor the inputs or weights (never overwritten).
 */
final class RnnEntry extends ZooEntry {
  private double[][] w;
  private double[][] u;
  private double[] b;
  private double[][] xs;
  private double[][] ys;
  private double[][] wBar;
  private double[][] uBar;
  private double[] bBar;

  @Override
  public void setUp(boolean full) {
    int hidden = full ? 128 : 64;
    int inputs = full ? 32 : 16;
    int steps = full ? 1000 : 500;
    SplittableRandom random = new SplittableRandom(11);
    double scale = 1 / Math.sqrt(hidden);
    w = ZooData.uniform(random, hidden, hidden, -scale, scale);
    u = ZooData.uniform(random, hidden, inputs, -scale, scale);
    b = ZooData.uniform(random, 1, hidden, -0.1, 0.1)[0];
    xs = ZooData.uniform(random, steps, inputs, -1, 1);
    ys = ZooData.uniform(random, steps, hidden, -0.5, 0.5);
    wBar = new double[hidden][hidden];
    uBar = new double[hidden][inputs];
    bBar = new double[hidden];
  }

  @Override
  public String name() {
    return "rnn";
  }

  @Override
  public String size() {
    return "H=" + b.length + ", X=" + xs[0].length + ", T=" + xs.length;
  }

  @Override
  public double primal() {
    return Rnn.loss(w, u, b, xs, ys);
  }

  @Override
  public double gradient(RadContext ctx) {
    double value = RnnGrad.loss(w, u, b, xs, ys, wBar, uBar, bBar, ctx);
    return value + bBar[0];
  }

  @Override
  public long needBytes() {
    return 8L * b.length * (xs.length - 1);
  }

  @Override
  public String needRule() {
    return "8 H (T-1): the hidden states read by tanh' = 1 - h^2 and by d(W h)/dW, overwritten by the buffer swap";
  }
}
