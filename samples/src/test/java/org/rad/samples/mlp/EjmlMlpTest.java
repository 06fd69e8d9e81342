package org.rad.samples.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;
import org.rad.runtime.RadDiagnostics;

/**
 * The EJML MLP: its generated gradient equals that of the plain-loop MLP (which {@link
 * MlpGradientTest} checks against central differences) to 1e-10, and its RAD gradient is unbiased.
 */
class EjmlMlpTest {
  static final int[] SIZES = {6, 5, 5, 5, 3};
  static final int[] LABELS = {0, 2, 1, 2};

  static double[][] batch() {
    SplittableRandom random = new SplittableRandom(11);
    double[][] x = new double[4][6];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble(0, 1);
      }
    }
    return x;
  }

  /** The gradient of the EJML loss, flattened in MlpParams order (w1, b1, ..., w4, b4). */
  static double[] ejmlGradient(MlpParams p, double[][] x, RadContext ctx) {
    EjmlMlpParams m = EjmlMlpParams.of(p);
    EjmlMlpParams bar = m.zeros();
    EjmlMlpGrad.loss(m.w[0], m.b[0], m.w[1], m.b[1], m.w[2], m.b[2], m.w[3], m.b[3], new DMatrixRMaj(x), LABELS,
        bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], ctx);
    return bar.flatten();
  }

  @Test
  void exactGradientEqualsThePlainLoopMlp() {
    MlpParams p = MlpParams.init(SIZES, 7);
    double[][] x = batch();
    MlpParams bar = p.zeros();
    double plain = MlpGrad.loss(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, LABELS,
        bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], RadContext.exact());
    EjmlMlpParams m = EjmlMlpParams.of(p);
    assertEquals(plain, EjmlMlp.loss(m.w[0], m.b[0], m.w[1], m.b[1], m.w[2], m.b[2], m.w[3], m.b[3],
        new DMatrixRMaj(x), LABELS), 1e-12);
    double[] expected = bar.flatten();
    double[] actual = ejmlGradient(p, x, RadContext.exact());
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], actual[k], 1e-10 * Math.max(1, Math.abs(expected[k])), "component " + k);
    }
  }

  /**
   * 20,000 seeded RAD gradients (f = 0.1): every component's mean within 5 standard errors of the
   * exact gradient (a correct estimator fails by chance with probability below 1e-4 over these
   * components; the seed makes the outcome fixed).
   */
  @Test
  void radGradientIsUnbiased() {
    MlpParams p = MlpParams.init(SIZES, 40);
    for (double[] b : p.b) {
      java.util.Arrays.fill(b, 0.3); // live units, so the sampled activations matter
    }
    double[][] x = batch();
    RadDiagnostics.Report r = RadDiagnostics.measure(ctx -> ejmlGradient(p, x, ctx), 20_000, 21, RadContext.seeded(21));
    double variance = 0;
    for (double v : r.variance()) {
      variance += v;
    }
    assertTrue(variance > 0, "nothing was sampled");
    assertTrue(r.maxStandardErrorsFromExact() <= 5, r.toString());
  }
}
