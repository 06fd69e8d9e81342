package consumer;

import org.rad.annotations.Differentiable;

/** The README's example model: the squared error of a tanh unit, differentiated in {@code w}. */
public class Model {
  @Differentiable(wrt = "w")
  static double loss(double[] w, double[] x, double y) {
    double p = 0;
    for (int i = 0; i < w.length; i++) {
      p += w[i] * x[i];
    }
    double r = Math.tanh(p) - y;
    return r * r;
  }
}
