package org.rad.samples.zoo;

import org.rad.runtime.RadContext;

/**
 * The functional-style Runge-Kutta integration of the zoo ({@link Rk4}): 20,000 steps of h =
 * 0.001 (full size: 200,000).
 *
 * <p>What the reverse sweep needs per step: the values that the right-hand side's products read
 * ({@code p[1] * y[0] * y[1]}, ...) and that are gone by the reverse sweep: the state y's two
 * values before the step's update overwrites them (16 bytes) and the three stage inputs {@code
 * axpy(y, h / 2, k1)}, ... (two values each, let go by the next step's assignments): {@code 8 (2 +
 * 3 * 2) = 64} bytes. The stages k1..k4 themselves are read only by linear operations (the
 * combinations and the update of y), so none of their values is needed.
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
    return 8L * (2 + 3 * 2) * steps;
  }

  @Override
  public String needRule() {
    return "64 per step: y's two old values and the two values of each of the 3 stage inputs, read by the right-hand side's products";
  }
}
