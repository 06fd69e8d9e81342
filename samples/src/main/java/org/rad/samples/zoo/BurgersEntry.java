package org.rad.samples.zoo;

import org.rad.runtime.RadContext;

/**
 * The Godunov scheme for Burgers' equation of the zoo ({@link Burgers}): 400 cells, 400 steps,
 * lambda = 0.4, a sine wave with a shift as the initial state, so that a shock forms and both
 * signs of the flux occur (full size: 1,000 cells and steps).
 *
 * <p>What the reverse sweep needs per step: the state u of each interface's two cells, read by the
 * flux's partials, is overwritten two steps later by the buffer swap: {@code 8 n} bytes per step
 * but the last two; and where the flux is the larger of two (a shock), which one: one bit per such
 * interface, not counted in the need.
 */
final class BurgersEntry extends ZooEntry {
  private double[] u0;
  private double[] u0Bar;
  private int steps;

  @Override
  public void setUp(boolean full) {
    int n = full ? 1000 : 400;
    steps = n;
    u0 = new double[n];
    for (int i = 0; i < n; i++) {
      u0[i] = Math.sin(2 * Math.PI * i / n) + 0.5;
    }
    u0Bar = new double[n];
  }

  @Override
  public String name() {
    return "burgers-godunov";
  }

  @Override
  public String size() {
    return "n=" + u0.length + ", " + steps + " steps";
  }

  @Override
  public double primal() {
    return Burgers.loss(u0, steps, 0.4);
  }

  @Override
  public double gradient(RadContext ctx) {
    java.util.Arrays.fill(u0Bar, 0);
    return BurgersGrad.loss(u0, steps, 0.4, u0Bar, ctx) + u0Bar[0];
  }

  @Override
  public long needBytes() {
    return 8L * u0.length * (steps - 2);
  }

  @Override
  public String needRule() {
    return "8 n (S-2): the state read by the flux partials, overwritten two steps later by the swap (bits of the max not counted)";
  }
}
