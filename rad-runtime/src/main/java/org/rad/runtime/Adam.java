package org.rad.runtime;

/**
 * The Adam optimizer (Kingma and Ba, 2015) on a flat parameter vector: {@code step} moves the
 * parameters against a gradient, with bias-corrected first and second moment estimates.
 */
public final class Adam {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double[] m;
  private final double[] v;
  private long t;

  /** Adam with the usual defaults beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8. */
  public Adam(int size, double learningRate) {
    this(size, learningRate, 0.9, 0.999, 1e-8);
  }

  public Adam(int size, double learningRate, double beta1, double beta2, double epsilon) {
    if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
      throw new IllegalArgumentException("learning rate must be positive and finite: " + learningRate);
    }
    if (size < 0) {
      throw new IllegalArgumentException("size must not be negative: " + size);
    }
    if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
      throw new IllegalArgumentException("beta1 and beta2 must lie in [0, 1): " + beta1 + ", " + beta2);
    }
    if (!(epsilon > 0) || Double.isInfinite(epsilon)) {
      throw new IllegalArgumentException("epsilon must be positive and finite: " + epsilon);
    }
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.m = new double[size];
    this.v = new double[size];
  }

  /** Updates {@code params} in place given {@code gradient}, with the learning rate scaled by {@code scale}. */
  public void step(double[] params, double[] gradient, double scale) {
    if (params.length != m.length || gradient.length != m.length) {
      throw new IllegalArgumentException("expected " + m.length + " parameters and gradients");
    }
    t++;
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < params.length; i++) {
      m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
      v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
      double mHat = m[i] / c1;
      double vHat = v[i] / c2;
      params[i] -= scale * learningRate * mHat / (Math.sqrt(vHat) + epsilon);
    }
  }

  /** Updates {@code params} in place given {@code gradient}. */
  public void step(double[] params, double[] gradient) {
    step(params, gradient, 1.0);
  }

  /** Number of steps taken. */
  public long steps() {
    return t;
  }
}
