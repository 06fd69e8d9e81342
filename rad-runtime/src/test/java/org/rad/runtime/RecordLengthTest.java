package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.rad.annotations.Sampling;

/** Restores that read the record's length from the tape (the primal array is gone by then). */
class RecordLengthTest {
  @Test
  void exactRecordsRoundTripWithoutTheLength() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] v = {1, 2, 3};
    double[][] m = {{1, 2}, null, {3}};
    ctx.recordArray(1, Sampling.BERNOULLI, 0.5, v, CounterRng.key(1));
    ctx.recordRows(2, Sampling.BERNOULLI, 0.5, m, false, CounterRng.key(2));
    ctx.recordArray(3, Sampling.BERNOULLI, 0.5, null, CounterRng.key(3));
    assertNull(ctx.restoreArray(3, Sampling.BERNOULLI, 0.5, CounterRng.key(3)));
    double[][] r = ctx.restoreRows(2, Sampling.BERNOULLI, 0.5, false, CounterRng.key(2));
    assertArrayEquals(m[0], r[0]);
    assertNull(r[1]);
    assertArrayEquals(m[2], r[2]);
    assertArrayEquals(v, ctx.restoreArray(1, Sampling.BERNOULLI, 0.5, CounterRng.key(1)));
    ctx.end();
  }
}
