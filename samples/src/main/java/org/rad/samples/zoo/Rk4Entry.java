package org.rad.samples.zoo;

import org.rad.runtime.RadContext;

/**
 * The functional-style Runge-Kutta integration of the zoo ({@link Rk4}): 20,000 steps of h =
 * 0.001 (full size: 200,000).
 *
 * <p>What the reverse sweep needs per step: the state y's two values before the step's update
 * overwrites them (16 bytes), and the seven arrays the helpers returned (k1..k4 and the three
 * combinations, two values each, 16 bytes of values), which the step's partials read and the next
 * step's assignments let go: {@code 8 (2 + 7 * 2) = 128} bytes. The tape also holds each array's
 * header and reference (24 bytes each), which the need does not count.
 */
final class Rk4Entry extends ZooEntry {
  private final double[] p = {1.1, 0.4, 0.1, 0.4};
  private final double[] y0 = {10, 10};
  private final double[] pBar = new double[4];
  private int steps;

  @Override
  public void setUp(boolean full) {
    steps = full ? 200_000 : 20_000;
  }

  @Override
  public String name() {
    return "rk4-functional";
  }

  @Override
  public String size() {
    return "Lotka-Volterra, " + steps + " steps";
  }

  @Override
  public double primal() {
    return Rk4.loss(p, y0, steps, 0.001);
  }

  @Override
  public double gradient(RadContext ctx) {
    java.util.Arrays.fill(pBar, 0);
    return Rk4Grad.loss(p, y0, steps, 0.001, pBar, ctx) + pBar[0];
  }

  @Override
  public long needBytes() {
    return 8L * (2 + 7 * 2) * steps;
  }

  @Override
  public String needRule() {
    return "128 per step: y's two old values and the two values of each of the 7 arrays the helpers return per step";
  }
}
