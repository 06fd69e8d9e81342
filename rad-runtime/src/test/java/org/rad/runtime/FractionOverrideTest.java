package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FractionOverrideTest {
  /** Counts kept records out of n when sites annotate 0.01 but the context overrides 0.5. */
  @Test
  void overrideReplacesTheAnnotatedFraction() {
    RadContext ctx = RadContext.seeded(3).withFraction(0.5);
    ctx.begin();
    int n = 100_000;
    for (int k = 0; k < n; k++) {
      ctx.pushSampledAt(1, 0.01, 1.0, k);
    }
    int kept = 0;
    for (int k = n - 1; k >= 0; k--) {
      double v = ctx.popSampledAt(1, 0.01, k);
      if (v != 0) {
        assertEquals(2.0, v, 0.0); // value / 0.5
        kept++;
      }
    }
    ctx.end();
    // Binomial(n, 0.5): 5 standard deviations = 5 * sqrt(n / 4) ~ 791
    assertEquals(n / 2.0, kept, 5 * Math.sqrt(n * 0.25));
  }

  @Test
  void rejectsFractionsOutsideTheUnitInterval() {
    assertThrows(IllegalArgumentException.class, () -> RadContext.seeded(1).withFraction(0));
    assertThrows(IllegalArgumentException.class, () -> RadContext.seeded(1).withFraction(1.5));
  }
}
