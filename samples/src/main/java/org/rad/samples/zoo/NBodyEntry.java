package org.rad.samples.zoo;

import org.rad.runtime.RadContext;

/**
 * The n-body problem of the zoo ({@link NBody}): 8 bodies on a ring, dt = 0.001, 20,000 steps
 * (full size: 200,000).
 *
 * <p>What the reverse sweep needs: the positions, read by the forces' partials, are overwritten
 * by the next step's drift: {@code 8 * 2 n} bytes per step. The velocities and the accelerations
 * enter only linear updates ({@code v += dt a / 2}, {@code p += dt v}, the accumulation into
 * {@code acc}), whose partials read nothing; the pair terms are recomputable from the positions.
 */
final class NBodyEntry extends ZooEntry {
  private static final int BODIES = 8;
  private final double[][] x0 = new double[BODIES][2];
  private final double[][] v0 = new double[BODIES][2];
  private final double[] mass = new double[BODIES];
  private final double[][] v0Bar = new double[BODIES][2];
  private final double[] massBar = new double[BODIES];
  private int steps;

  @Override
  public void setUp(boolean full) {
    steps = full ? 200_000 : 20_000;
    for (int i = 0; i < BODIES; i++) {
      double angle = 2 * Math.PI * i / BODIES;
      mass[i] = 0.5 + 0.1 * i;
      x0[i][0] = Math.cos(angle);
      x0[i][1] = Math.sin(angle);
      v0[i][0] = -0.4 * Math.sin(angle);
      v0[i][1] = 0.4 * Math.cos(angle);
    }
  }

  @Override
  public String name() {
    return "nbody-forces";
  }

  @Override
  public String size() {
    return BODIES + " bodies, " + steps + " steps";
  }

  @Override
  public double primal() {
    return NBody.miss(x0, v0, mass, steps, 0.001, 1.0, 0.5);
  }

  @Override
  public double gradient(RadContext ctx) {
    for (double[] row : v0Bar) {
      java.util.Arrays.fill(row, 0);
    }
    java.util.Arrays.fill(massBar, 0);
    return NBodyGrad.miss(x0, v0, mass, steps, 0.001, 1.0, 0.5, v0Bar, massBar, ctx) + massBar[0] + v0Bar[0][0];
  }

  @Override
  public long needBytes() {
    return 8L * 2 * BODIES * steps;
  }

  @Override
  public String needRule() {
    return "8 * 2n S: the positions, read by the forces' partials, overwritten by each step's drift";
  }
}
