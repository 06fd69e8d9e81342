package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** The paper-code comparison estimator: unscaled values, one sample pattern for every call. */
class UnscaledFixedPatternTest {
  private static String pattern(RadContext ctx, int n) {
    ctx.begin();
    for (int k = 0; k < n; k++) {
      ctx.pushSampledAt(1, 0.5, 3.0, k);
    }
    StringBuilder kept = new StringBuilder();
    for (int k = n - 1; k >= 0; k--) {
      double v = ctx.popSampledAt(1, 0.5, k);
      kept.append(v == 0 ? '0' : v == 3.0 ? 'u' : v == 6.0 ? 's' : '?');
    }
    ctx.end();
    return kept.toString();
  }

  @Test
  void keepsUnscaledValuesWithTheSamePatternEveryCall() {
    RadContext paper = RadContext.unscaledFixedPattern(9);
    String first = pattern(paper, 64);
    assertEquals(first, pattern(paper, 64));
    assertEquals(-1, first.indexOf('s'));
    RadContext ours = RadContext.seeded(9);
    String a = pattern(ours, 64);
    assertNotEquals(a, pattern(ours, 64));
    assertEquals(-1, a.indexOf('u'));
  }
}
