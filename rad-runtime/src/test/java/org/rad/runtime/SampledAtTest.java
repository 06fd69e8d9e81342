package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The index forms of sampled element records draw exactly what the key forms draw. */
class SampledAtTest {
  @Test
  void indexFormsMatchKeyForms() {
    RadContext a = RadContext.seeded(5);
    RadContext b = RadContext.seeded(5);
    a.begin();
    b.begin();
    for (int i = 0; i < 20; i++) {
      for (int j = 0; j < 20; j++) {
        a.pushSampledAt(3, 0.3, i * 100 + j, i, j, 7);
        b.pushSampled(3, 0.3, i * 100 + j, CounterRng.key(i, j, 7));
        a.pushSampledAt(4, 0.3, j, i);
        b.pushSampled(4, 0.3, j, CounterRng.key(i));
      }
    }
    for (int i = 19; i >= 0; i--) {
      for (int j = 19; j >= 0; j--) {
        assertEquals(b.popSampled(4, 0.3, CounterRng.key(i)), a.popSampledAt(4, 0.3, i));
        assertEquals(b.popSampled(3, 0.3, CounterRng.key(i, j, 7)), a.popSampledAt(3, 0.3, i, j, 7));
      }
    }
    a.end();
    b.end();
  }

  @Test
  void exactContextRecordsEverything() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    ctx.pushSampledAt(1, 0.01, 2.5, 1, 2);
    ctx.pushSampledAt(1, 0.01, 3.5);
    assertEquals(3.5, ctx.popSampledAt(1, 0.01));
    assertEquals(2.5, ctx.popSampledAt(1, 0.01, 1, 2));
    ctx.end();
  }
}
