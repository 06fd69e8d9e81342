package org.rad.samples.zoo;

import org.rad.runtime.RadContext;
import org.rad.samples.reactor.ReactorProblem;

/**
 * A reactor style of the zoo: the paper's reactor loss (N = 32, dt = 1/4096, the paper's initial
 * control) written one way. Quick size: 4,096 steps; full size: the paper's 40,960.
 *
 * <p>What the reverse sweep needs: the loss is linear in phi except for the reaction term
 * {@code dt C phi}, whose derivative with respect to C reads phi (and the squared error, whose
 * derivative reads phi_k - target, but phi_k is recomputable from what is kept for step k + 1). The
 * explicit step overwrites phi one step later (two buffers), so one double per interior cell per
 * step must be kept: {@code 8 (N - 1)^2 S} bytes. C itself is recomputable from theta.
 */
final class ReactorEntry extends ZooEntry {
  /** The loss of one style. */
  interface Loss {
    double loss(double[] theta, int n, int steps, double dt);
  }

  /** The generated gradient of one style. */
  interface Gradient {
    double loss(double[] theta, int n, int steps, double dt, double[] thetaBar, RadContext ctx);
  }

  private final String name;
  private final Loss loss;
  private final Gradient gradient;
  private final double[] theta = ReactorProblem.initialTheta();
  private final double[] thetaBar = new double[theta.length];
  private int n;
  private int steps;

  ReactorEntry(String name, Loss loss, Gradient gradient) {
    this.name = name;
    this.loss = loss;
    this.gradient = gradient;
  }

  @Override
  public void setUp(boolean full) {
    n = ReactorProblem.GRID;
    steps = full ? ReactorProblem.PAPER_STEPS : ReactorProblem.PAPER_STEPS / 10;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String size() {
    return "N=" + n + ", S=" + steps;
  }

  @Override
  public double primal() {
    return loss.loss(theta, n, steps, ReactorProblem.DT);
  }

  @Override
  public double gradient(RadContext ctx) {
    java.util.Arrays.fill(thetaBar, 0);
    double value = gradient.loss(theta, n, steps, ReactorProblem.DT, thetaBar, ctx);
    return value + thetaBar[0];
  }

  @Override
  public long needBytes() {
    return 8L * (n - 1) * (n - 1) * steps;
  }

  @Override
  public String needRule() {
    return "8 (N-1)^2 S: phi at each interior cell and step, read by d(dt C phi)/dC, overwritten a step later";
  }

  @Override
  public boolean randomizes() {
    return true;
  }
}
