package org.rad.samples.zoo;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;

/** The small function's generated gradient against central differences. */
class SmallFunctionTest {
  @Test
  void gradientMatchesCentralDifferences() {
    SplittableRandom random = new SplittableRandom(3);
    double[] x = ZooData.uniform(random, 1, 4, -2, 2)[0];
    double[] w = ZooData.uniform(random, 1, 14, -1, 1)[0];
    // h = 1e-6 on weights of order 1: truncation ~1e-12, rounding ~1e-10
    GradCheck.assertGradient(p -> SmallFunction.tiny(p, x), (p, grad) -> SmallFunctionGrad.tiny(p, x, grad,
        RadContext.exact()), w, 1e-6, 1e-6, 1e-9);
  }
}
