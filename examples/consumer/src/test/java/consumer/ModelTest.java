package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;

/**
 * The generated {@code ModelGrad} against the closed form: for loss = (tanh(w.x) - y)^2,
 * d loss / d w_i = 2 (tanh(p) - y) (1 - tanh(p)^2) x_i with p = w.x.
 */
class ModelTest {
  @Test
  void gradientIsTheClosedForm() {
    double[] w = {0.3, -0.2, 0.5};
    double[] x = {1.0, 2.0, -0.5};
    double y = 0.25;
    double p = w[0] * x[0] + w[1] * x[1] + w[2] * x[2];
    double t = Math.tanh(p);
    double[] wBar = new double[w.length];
    double value = ModelGrad.loss(w, x, y, wBar);
    assertEquals((t - y) * (t - y), value, 1e-15);
    for (int i = 0; i < w.length; i++) {
      assertEquals(2 * (t - y) * (1 - t * t) * x[i], wBar[i], 1e-14, "d loss / d w" + i);
    }
    // with a context: gradients are added into wBar, so a second call doubles them
    RadContext ctx = RadContext.exact();
    ModelGrad.loss(w, x, y, wBar, ctx);
    for (int i = 0; i < w.length; i++) {
      assertEquals(4 * (t - y) * (1 - t * t) * x[i], wBar[i], 1e-14, "twice d loss / d w" + i);
    }
  }
}
