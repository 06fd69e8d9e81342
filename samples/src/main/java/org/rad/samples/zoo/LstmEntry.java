package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.rad.runtime.RadContext;

/**
 * The ADBench LSTM of the zoo ({@link Lstm}) at ADBench's size {@code lstm_l2_c1024} (l = 2
 * layers, c = 1,024 characters, b = 14); full size {@code lstm_l4_c4096}. Parameters, state and
 * sequence drawn from U(-1, 1), U(-1, 1), U(0, 1), seeded.
 *
 * <p>What the reverse sweep needs (the rule of {@link ZooEntry#needBytes()}), per step of the
 * c - 1: each layer's hidden and cell state, 2 l b values, which the step overwrites in place and
 * whose old values the gates' partials read (ingate and change read the old hidden, the cell
 * update reads the old cell); and the output buffer {@code ypred}, written twice per step (first
 * the scaled input, which layer 0's gate partials read, then the prediction, which logsumexp's
 * exp' reads), 2 b values. Total {@code 8 (c - 1) (2 l b + 2 b)} bytes.
 */
final class LstmEntry extends ZooEntry {
  private int l;
  private int c;
  private int b;
  private double[] mainParams;
  private double[] extraParams;
  private double[] state;
  private double[] sequence;
  private double[] mainBar;
  private double[] extraBar;

  @Override
  public void setUp(boolean full) {
    l = full ? 4 : 2;
    c = full ? 4096 : 1024;
    b = 14;
    SplittableRandom random = new SplittableRandom(12);
    mainParams = ZooData.uniform(random, 8 * b * l, -1, 1);
    extraParams = ZooData.uniform(random, 3 * b, -1, 1);
    state = ZooData.uniform(random, 2 * b * l, -1, 1);
    sequence = ZooData.uniform(random, c * b, 0, 1);
    mainBar = new double[mainParams.length];
    extraBar = new double[extraParams.length];
  }

  @Override
  public String name() {
    return "lstm";
  }

  @Override
  public String size() {
    return "l=" + l + ", c=" + c + ", b=" + b;
  }

  @Override
  public double primal() {
    return Lstm.objective(l, c, b, mainParams, extraParams, state, sequence);
  }

  @Override
  public double gradient(RadContext ctx) {
    double value = LstmGrad.objective(l, c, b, mainParams, extraParams, state, sequence, mainBar, extraBar, ctx);
    return value + mainBar[0];
  }

  @Override
  public long needBytes() {
    return 8L * (c - 1) * (2L * l * b + 2L * b);
  }

  @Override
  public String needRule() {
    return "8 (c-1)(2lb + 2b): per step the old hidden and cell state of every layer, and ypred's two values per unit";
  }
}
