package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.annotations.Sampling;

/**
 * Sampled records on RadContext: exactness of the exact context, LIFO consistency with plain
 * records, the documented formulas, memory, and unbiasedness. Statistical checks use fixed seeds
 * and 5-standard-error bounds (a correct sampler fails one with probability below 1e-6, normal
 * approximation).
 */
class SampledRecordsTest {

  // ---- sample seeds ----------------------------------------------------------------------------

  @Test
  void eachCallDrawsAFreshReproducibleSampleSeed() {
    RadContext a = RadContext.seeded(42);
    RadContext b = RadContext.seeded(42);
    assertEquals(CounterRng.streamSeed(42, 0), a.sampleSeed(), "before the first call: call 0");
    long previous = 0;
    for (int call = 0; call < 5; call++) {
      a.begin();
      b.begin();
      assertEquals(CounterRng.streamSeed(42, call), a.sampleSeed());
      assertEquals(a.sampleSeed(), b.sampleSeed());
      assertNotEquals(previous, a.sampleSeed());
      previous = a.sampleSeed();
      a.end();
      b.abort(); // aborted calls count too
    }
    assertEquals(CounterRng.streamSeed(42, 4), a.sampleSeed(), "readable after the call");
    assertNotEquals(RadContext.seeded(43).sampleSeed(), RadContext.seeded(42).sampleSeed());
    RadContext exact = RadContext.exact();
    exact.begin();
    assertEquals(0, exact.sampleSeed());
    exact.end();
  }

  @Test
  void aFailedBeginDoesNotAdvanceTheCall() {
    RadContext ctx = RadContext.seeded(1);
    ctx.begin();
    long seed = ctx.sampleSeed();
    assertThrows(IllegalStateException.class, ctx::begin);
    assertEquals(seed, ctx.sampleSeed());
    ctx.end();
    ctx.begin();
    assertEquals(CounterRng.streamSeed(1, 1), ctx.sampleSeed());
    ctx.end();
  }

  // ---- exact context ---------------------------------------------------------------------------

  @Test
  void exactContextSampledElementRecordsArePlainRecords() {
    RadContext sampled = RadContext.exact();
    RadContext plain = RadContext.exact();
    sampled.begin();
    plain.begin();
    for (int i = 0; i < 1000; i++) {
      sampled.pushSampledAt(1, 0.1, i * 0.5, i);
      plain.pushDouble(i * 0.5);
      if (i % 7 == 0) {
        sampled.pushDouble(-i);
        plain.pushDouble(-i);
      }
    }
    sampled.endForward();
    plain.endForward();
    assertEquals(plain.peakTapeBytes(), sampled.peakTapeBytes());
    assertEquals(8000 + 8 * 143, sampled.peakTapeBytes());
    for (int i = 999; i >= 0; i--) {
      if (i % 7 == 0) {
        assertEquals(-i, sampled.popDouble());
      }
      assertEquals(i * 0.5, sampled.popSampledAt(1, 0.1, i));
    }
    assertThrows(IllegalStateException.class, sampled::popDouble, "nothing left");
    sampled.end();
    plain.abort();
  }

  @Test
  void exactContextArrayRecordsAreExactCopies() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] v = randomVector(new SplittableRandom(1), 1000);
    double[][] m = {randomVector(new SplittableRandom(2), 3), null, new double[0], {7}};
    for (Sampling s : Sampling.values()) {
      ctx.recordArray(4, s, 0.1, v, 9);
      ctx.recordRows(5, s, 0.1, m, false, 9);
    }
    ctx.endForward(v, m);
    long perRound = 8L * 1000 + 4 + 8L * 4 + 4 * 4 + 4;
    assertEquals(4 * perRound, ctx.peakTapeBytes());
    Sampling[] all = Sampling.values();
    for (int t = all.length - 1; t >= 0; t--) {
      double[][] rm = ctx.restoreRows(5, all[t], 0.1, 4, false, 9);
      assertEquals(4, rm.length);
      assertArrayEquals(m[0], rm[0]);
      assertNotSame(m[0], rm[0]);
      assertNull(rm[1]);
      assertEquals(0, rm[2].length);
      assertArrayEquals(m[3], rm[3]);
      double[] r = ctx.restoreArray(4, all[t], 0.1, 1000, 9);
      assertArrayEquals(v, r);
      assertNotSame(v, r);
    }
    ctx.end();
  }

  // ---- element records -------------------------------------------------------------------------

  @Test
  void seededElementRecordsKeepValueOverFractionOrNothing() {
    RadContext ctx = RadContext.seeded(7);
    ctx.begin();
    double f = 0.25;
    int n = 2000;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      ctx.pushSampledAt(2, f, i + 1.0, i);
    }
    for (int i = n - 1; i >= 0; i--) {
      double r = ctx.popSampledAt(2, f, i);
      if (CounterRng.keep(ctx.sampleSeed(), 2, CounterRng.key(), 0, i, f)) {
        assertEquals((i + 1.0) / f, r);
        kept++;
      } else {
        assertEquals(0.0, r, "dropped entries restore as 0");
      }
    }
    assertThrows(IllegalStateException.class, ctx::popDouble, "only kept values were on the tape");
    assertTrue(kept > 0 && kept < n, "some kept, some dropped: " + kept);
    ctx.end();
  }

  @Test
  void fractionOneIsExactInASeededContext() {
    RadContext ctx = RadContext.seeded(3);
    ctx.begin();
    double[] v = randomVector(new SplittableRandom(4), 37);
    ctx.pushSampled(1, 1.0, 0.3, 5, 1, 2);
    for (Sampling s : Sampling.values()) {
      ctx.recordArray(2, s, 1.0, v, 6);
    }
    ctx.endForward();
    assertEquals(8 + 4 * (8 * 37 + 4), ctx.peakTapeBytes());
    for (int t = Sampling.values().length - 1; t >= 0; t--) {
      assertArrayEquals(v, ctx.restoreArray(2, Sampling.values()[t], 1.0, 37, 6));
    }
    assertEquals(0.3, ctx.popSampled(1, 1.0, 5, 1, 2));
    ctx.end();
  }

  @Test
  void fractionsOutsideZeroToOneAreRejected() {
    for (RadContext ctx : new RadContext[] {RadContext.exact(), RadContext.seeded(1)}) {
      ctx.begin();
      for (double f : new double[] {0, -0.5, 1.5, Double.NaN, Double.POSITIVE_INFINITY}) {
        assertThrows(IllegalArgumentException.class, () -> ctx.pushSampled(1, f, 1, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> ctx.popSampled(1, f, 0, 0, 0));
        assertThrows(IllegalArgumentException.class,
            () -> ctx.recordArray(1, Sampling.BERNOULLI, f, new double[1], 0));
        assertThrows(IllegalArgumentException.class,
            () -> ctx.restoreArray(1, Sampling.BERNOULLI, f, 1, 0));
        assertThrows(IllegalArgumentException.class,
            () -> ctx.recordRows(1, Sampling.BERNOULLI, f, new double[1][1], true, 0));
      }
      ctx.end();
    }
  }

  // ---- LIFO consistency ------------------------------------------------------------------------

  /** One record of the random program below, with what its reverse must give back. */
  private record Op(int kind, int site, double fraction, Sampling sampling, long key, Object expected, int length,
      boolean same) {}

  @Test
  void sampledAndPlainRecordsInterleaveInLifoOrder() {
    for (long seed : new long[] {1, 2, 3}) {
      runRandomProgram(RadContext.seeded(seed), new SplittableRandom(seed));
      runRandomProgram(RadContext.exact(), new SplittableRandom(seed));
    }
  }

  private static void runRandomProgram(RadContext ctx, SplittableRandom random) {
    ctx.begin();
    long s = ctx.sampleSeed();
    boolean exact = ctx.isExact();
    double[] fractions = {0.05, 0.3, 0.5, 1.0};
    Sampling[] samplings = Sampling.values();
    Deque<Op> stack = new ArrayDeque<>();
    for (int step = 0; step < 6000; step++) {
      if (!stack.isEmpty() && random.nextInt(5) < 2) {
        check(ctx, stack.pop());
        continue;
      }
      int kind = random.nextInt(7);
      int site = random.nextInt(-3, 20);
      double f = fractions[random.nextInt(fractions.length)];
      Sampling sampling = samplings[random.nextInt(samplings.length)];
      long key = CounterRng.key(random.nextInt(50), random.nextInt(50));
      switch (kind) {
        case 0 -> {
          double v = random.nextDouble(-5, 5);
          ctx.pushDouble(v);
          stack.push(new Op(kind, 0, 0, null, 0, v, 0, false));
        }
        case 1 -> {
          int v = random.nextInt();
          ctx.pushInt(v);
          stack.push(new Op(kind, 0, 0, null, 0, v, 0, false));
        }
        case 2 -> {
          boolean v = random.nextBoolean();
          ctx.pushBit(v);
          stack.push(new Op(kind, 0, 0, null, 0, v, 0, false));
        }
        case 3, 4 -> {
          double v = random.nextDouble(-5, 5);
          int index = random.nextInt(-70, 200); // element index: several blocks of 64, negative ones too
          ctx.pushSampled(site, f, v, key, rowOf(key), index);
          double expected = exact ? v : CounterRng.keep(s, site, key, rowOf(key), index, f) ? v / f : 0.0;
          stack.push(new Op(kind, site, f, null, key, expected, index, false));
        }
        case 5 -> {
          // now and then a long exact array, so records cross chunk boundaries of the double tape
          int length = random.nextInt(20) == 0 ? 40_000 : random.nextInt(-1, 40);
          double[] v = length < 0 ? null : randomVector(random, length);
          double recordF = length > 1000 ? 1.0 : f;
          ctx.recordArray(site, sampling, recordF, v, key);
          Object expected = v == null ? null
              : exact ? v.clone() : ReferenceSampling.restored(sampling, s, site, recordF, v, key);
          stack.push(new Op(kind, site, recordF, sampling, key, expected, Math.max(length, 0), false));
        }
        default -> {
          int rows = random.nextInt(4);
          boolean same = random.nextBoolean();
          double[][] m = new double[rows][];
          double[][] expected = new double[rows][];
          for (int r = 0; r < rows; r++) {
            int length = random.nextInt(-1, 12);
            m[r] = length < 0 ? null : randomVector(random, length);
            long rowKey = same ? key : CounterRng.extend(key, r);
            expected[r] = m[r] == null ? null
                : exact ? m[r].clone() : ReferenceSampling.restored(sampling, s, site, f, m[r], rowKey);
          }
          ctx.recordRows(site, sampling, f, m, same, key);
          stack.push(new Op(kind, site, f, sampling, key, expected, rows, same));
        }
      }
    }
    while (!stack.isEmpty()) {
      check(ctx, stack.pop());
    }
    assertThrows(IllegalStateException.class, ctx::popDouble);
    assertThrows(IllegalStateException.class, ctx::popInt);
    assertThrows(IllegalStateException.class, ctx::popBit);
    ctx.end();
  }

  /** The row of an element record in the random interleaving: a function of its key, so pops find it. */
  private static long rowOf(long key) {
    return Math.floorMod(key, 7) - 2;
  }

  private static void check(RadContext ctx, Op op) {
    switch (op.kind()) {
      case 0 -> assertEquals((double) op.expected(), ctx.popDouble());
      case 1 -> assertEquals((int) op.expected(), ctx.popInt());
      case 2 -> assertEquals((boolean) op.expected(), ctx.popBit());
      case 3, 4 -> assertEquals((double) op.expected(), ctx.popSampled(op.site(), op.fraction(), op.key(), rowOf(op.key()), op.length()));
      case 5 -> assertArrayEquals((double[]) op.expected(),
          ctx.restoreArray(op.site(), op.sampling(), op.fraction(), op.length(), op.key()), op.toString());
      default -> {
        double[][] restored =
            ctx.restoreRows(op.site(), op.sampling(), op.fraction(), op.length(), op.same(), op.key());
        double[][] expected = (double[][]) op.expected();
        assertEquals(expected.length, restored.length);
        for (int r = 0; r < expected.length; r++) {
          assertArrayEquals(expected[r], restored[r], op + " row " + r);
        }
      }
    }
  }

  @Test
  void nullRecordsRoundTrip() {
    RadContext ctx = RadContext.seeded(1);
    ctx.begin();
    ctx.recordArray(1, Sampling.RADEMACHER, 0.5, null, 0);
    ctx.recordRows(1, Sampling.BERNOULLI, 0.5, null, true, 0);
    assertNull(ctx.restoreRows(1, Sampling.BERNOULLI, 0.5, 3, true, 0));
    assertNull(ctx.restoreArray(1, Sampling.RADEMACHER, 0.5, 3, 0));
    ctx.end();
  }

  @Test
  void mismatchedRestoreLengthsAreReported() {
    RadContext ctx = RadContext.seeded(1);
    ctx.begin();
    ctx.recordArray(8, Sampling.BERNOULLI, 0.5, new double[5], 0);
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> ctx.restoreArray(8, Sampling.BERNOULLI, 0.5, 6, 0));
    assertTrue(e.getMessage().contains("length 6") && e.getMessage().contains("length 5"), e.getMessage());
    ctx.abort();
    ctx.begin();
    ctx.recordRows(8, Sampling.BERNOULLI, 0.5, new double[2][2], false, 0);
    assertThrows(IllegalStateException.class, () -> ctx.restoreRows(8, Sampling.BERNOULLI, 0.5, 3, false, 0));
    ctx.abort();
  }

  // ---- the documented formulas -----------------------------------------------------------------

  @Test
  void restoredArraysFollowTheDocumentedFormulas() {
    SplittableRandom random = new SplittableRandom(11);
    for (Sampling sampling : Sampling.values()) {
      for (int length : new int[] {0, 1, 2, 10, 63, 64, 65, 200}) {
        for (double f : new double[] {0.01, 0.1, 0.3, 0.5, 0.9}) {
          RadContext ctx = RadContext.seeded(random.nextLong());
          ctx.begin();
          double[] v = randomVector(random, length);
          long key = CounterRng.key(random.nextInt(100));
          ctx.recordArray(17, sampling, f, v, key);
          double[] expected = ReferenceSampling.restored(sampling, ctx.sampleSeed(), 17, f, v, key);
          assertArrayEquals(expected, ctx.restoreArray(17, sampling, f, length, key),
              sampling + " d=" + length + " f=" + f);
          ctx.end();
        }
      }
    }
  }

  @Test
  void bernoulliArrayEntriesAreTheElementsOfTheRecordWithTheArraysKey() {
    RadContext ctx = RadContext.seeded(5);
    ctx.begin();
    double[] v = randomVector(new SplittableRandom(5), 500);
    long key = CounterRng.key(3);
    ctx.recordArray(4, Sampling.BERNOULLI, 0.2, v, key);
    double[] r = ctx.restoreArray(4, Sampling.BERNOULLI, 0.2, v.length, key);
    for (int j = 0; j < v.length; j++) {
      ctx.pushSampled(4, 0.2, v[j], key, 0, j);
    }
    for (int j = v.length - 1; j >= 0; j--) {
      assertEquals(r[j], ctx.popSampled(4, 0.2, key, 0, j));
    }
    ctx.end();
  }

  @Test
  void withoutReplacementKeepsExactlyKDistinctScaledEntries() {
    RadContext ctx = RadContext.seeded(8);
    int d = 50;
    double f = 0.2;
    int k = CounterRng.sampleCount(f, d);
    assertEquals(10, k);
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = i + 1;
    }
    for (int call = 0; call < 200; call++) {
      ctx.begin();
      ctx.recordArray(1, Sampling.WITHOUT_REPLACEMENT, f, v, 0);
      double[] r = ctx.restoreArray(1, Sampling.WITHOUT_REPLACEMENT, f, d, 0);
      int nonzero = 0;
      for (int i = 0; i < d; i++) {
        if (r[i] != 0) {
          nonzero++;
          assertEquals(v[i] * d / k, r[i], 1e-12);
        }
      }
      assertEquals(k, nonzero);
      ctx.end();
    }
  }

  @Test
  void withReplacementRestoresMultiplesOfScaledEntriesWithKDrawsInAll() {
    RadContext ctx = RadContext.seeded(9);
    int d = 30;
    double f = 0.5;
    int k = CounterRng.sampleCount(f, d);
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = i + 1;
    }
    boolean sawDuplicate = false;
    for (int call = 0; call < 200; call++) {
      ctx.begin();
      ctx.recordArray(1, Sampling.WITH_REPLACEMENT, f, v, 0);
      double[] r = ctx.restoreArray(1, Sampling.WITH_REPLACEMENT, f, d, 0);
      long draws = 0;
      for (int i = 0; i < d; i++) {
        double times = r[i] / (v[i] * d / k);
        assertEquals(Math.rint(times), times, 1e-9);
        draws += Math.round(times);
        sawDuplicate |= Math.round(times) > 1;
      }
      assertEquals(k, draws);
      ctx.end();
    }
    assertTrue(sawDuplicate, "with replacement draws some entries twice");
  }

  @Test
  void rowsShareOneSampleOnlyWhenAskedTo() {
    RadContext ctx = RadContext.seeded(12);
    ctx.begin();
    double[][] m = new double[6][40];
    for (double[] row : m) {
      java.util.Arrays.fill(row, 1.0);
    }
    for (Sampling s : new Sampling[] {Sampling.BERNOULLI, Sampling.WITHOUT_REPLACEMENT}) {
      ctx.recordRows(3, s, 0.3, m, true, 77);
      double[][] same = ctx.restoreRows(3, s, 0.3, 6, true, 77);
      ctx.recordRows(3, s, 0.3, m, false, 77);
      double[][] different = ctx.restoreRows(3, s, 0.3, 6, false, 77);
      boolean anyDifferent = false;
      for (int r = 1; r < 6; r++) {
        assertArrayEquals(same[0], same[r], "same sample across rows");
        anyDifferent |= !java.util.Arrays.equals(different[0], different[r]);
      }
      assertTrue(anyDifferent, "different sample per row");
      // the shared sample is the one of an array record with the matrix key
      ctx.recordArray(3, s, 0.3, m[0], 77);
      assertArrayEquals(same[0], ctx.restoreArray(3, s, 0.3, 40, 77));
      ctx.recordArray(3, s, 0.3, m[4], CounterRng.extend(77, 4));
      assertArrayEquals(different[4], ctx.restoreArray(3, s, 0.3, 40, CounterRng.extend(77, 4)));
    }
    ctx.end();
  }

  // ---- memory ----------------------------------------------------------------------------------

  @Test
  void bernoulliElementRecordsAtATenthHoldAboutATenthOfTheBytes() {
    int n = 100_000;
    long exactBytes = tapeBytesOfElementRecords(RadContext.exact(), n, 0.1);
    assertEquals(8L * n, exactBytes);
    long sampledBytes = tapeBytesOfElementRecords(RadContext.seeded(2021), n, 0.1);
    assertTrue(sampledBytes < 0.15 * exactBytes, sampledBytes + " of " + exactBytes);
    // 10^4 +- 95 values kept: 5 sigma is about 5% of the kept bytes
    assertEquals(0.1 * exactBytes, sampledBytes, 0.05 * 0.1 * exactBytes);
  }

  private static long tapeBytesOfElementRecords(RadContext ctx, int n, double f) {
    ctx.begin();
    for (int i = 0; i < n; i++) {
      ctx.pushSampledAt(1, f, i + 1, i);
    }
    ctx.endForward();
    for (int i = n - 1; i >= 0; i--) {
      double r = ctx.popSampledAt(1, f, i);
      assertTrue(r == 0 || r == (ctx.isExact() ? i + 1 : (i + 1) / f));
    }
    ctx.end();
    return ctx.peakTapeBytes();
  }

  @Test
  void arrayRecordsAtATenthHoldATenthOfTheBytes() {
    for (Sampling s : Sampling.values()) {
      int d = s == Sampling.RADEMACHER ? 10_000 : 100_000; // Rademacher costs O(d k) time
      double[] v = randomVector(new SplittableRandom(6), d);
      long exactBytes = tapeBytesOfArrayRecord(RadContext.exact(), s, 0.1, v);
      assertEquals(8L * d + 4, exactBytes);
      long sampledBytes = tapeBytesOfArrayRecord(RadContext.seeded(6), s, 0.1, v);
      if (s == Sampling.BERNOULLI) {
        assertTrue(sampledBytes < 0.15 * exactBytes, s + ": " + sampledBytes + " of " + exactBytes);
        assertEquals(0.1 * exactBytes, sampledBytes, 0.05 * 0.1 * exactBytes, s.toString());
      } else {
        assertEquals(8L * d / 10 + 4, sampledBytes, s.toString());
      }
    }
  }

  private static long tapeBytesOfArrayRecord(RadContext ctx, Sampling s, double f, double[] v) {
    ctx.begin();
    ctx.recordArray(1, s, f, v, 0);
    ctx.endForward(v);
    ctx.restoreArray(1, s, f, v.length, 0);
    ctx.end();
    return ctx.peakTapeBytes();
  }

  // ---- unbiasedness and variance ---------------------------------------------------------------

  private static final int DRAWS = 4000;
  private static final double[] V = {
    3.0, -1.5, 0.0, 0.25, 10.0, -7.0, 1.0, 2.0, -0.5, 4.0, 0.1, -3.0, 6.0, 1.5, -2.0, 0.75, 5.0, -9.0, 2.5, -1.0
  };

  /** Per-entry sample mean and unbiased sample variance of {@code DRAWS} restored records. */
  private static double[][] meanAndVariance(Sampling s, double f, long seed, boolean rows) {
    RadContext ctx = RadContext.seeded(seed);
    int d = V.length;
    double[] mean = new double[d];
    double[] m2 = new double[d];
    for (int t = 0; t < DRAWS; t++) {
      ctx.begin();
      double[] r;
      if (rows) {
        ctx.recordRows(5, s, f, new double[][] {V, V}, false, 3);
        r = ctx.restoreRows(5, s, f, 2, false, 3)[1];
      } else {
        ctx.recordArray(5, s, f, V, 3);
        r = ctx.restoreArray(5, s, f, d, 3);
      }
      ctx.end();
      for (int i = 0; i < d; i++) {
        double delta = r[i] - mean[i];
        mean[i] += delta / (t + 1);
        m2[i] += delta * (r[i] - mean[i]);
      }
    }
    for (int i = 0; i < d; i++) {
      m2[i] /= DRAWS - 1;
    }
    return new double[][] {mean, m2};
  }

  @Test
  void everySamplerIsUnbiased() {
    for (Sampling s : Sampling.values()) {
      for (boolean rows : new boolean[] {false, true}) {
        double[][] mv = meanAndVariance(s, 0.3, 100 + s.ordinal(), rows);
        for (int i = 0; i < V.length; i++) {
          double se = Math.sqrt(mv[1][i] / DRAWS);
          String what = s + (rows ? " (row)" : "") + " entry " + i + ": mean " + mv[0][i] + " se " + se;
          if (se == 0) {
            assertEquals(V[i], mv[0][i], 0.0, what);
          } else {
            assertTrue(Math.abs(mv[0][i] - V[i]) < 5 * se, what);
          }
        }
      }
    }
  }

  @Test
  void aBiasedReconstructionWouldBeCaught() {
    // the unbiasedness check above can fail: the unscaled kept values (v b instead of v b / f) miss
    double[][] mv = meanAndVariance(Sampling.BERNOULLI, 0.3, 100, false);
    int caught = 0;
    for (int i = 0; i < V.length; i++) {
      double se = Math.sqrt(mv[1][i] / DRAWS) * 0.3;
      if (se > 0 && Math.abs(mv[0][i] * 0.3 - V[i]) >= 5 * se) {
        caught++;
      }
    }
    assertEquals(V.length - 1, caught, "every nonzero entry shows the bias");
  }

  @Test
  void varianceMatchesTheClosedFormsAndShrinksAsTheFractionGrows() {
    for (Sampling s : Sampling.values()) {
      double previous = Double.POSITIVE_INFINITY;
      for (double f : new double[] {0.1, 0.3, 0.7}) {
        double[][] mv = meanAndVariance(s, f, 200 + s.ordinal(), false);
        double total = 0;
        double theory = 0;
        for (int i = 0; i < V.length; i++) {
          total += mv[1][i];
          theory += ReferenceSampling.variance(s, f, V, i);
        }
        // 4000 draws estimate a total variance to within a few percent; 15% is > 5 sigma
        assertEquals(theory, total, 0.15 * theory, s + " f=" + f);
        assertTrue(total < previous, s + ": variance at f=" + f + " is " + total + ", at the smaller f " + previous);
        previous = total;
      }
    }
  }

  static double[] randomVector(SplittableRandom random, int length) {
    double[] v = new double[length];
    for (int i = 0; i < length; i++) {
      v[i] = random.nextDouble(-2, 2);
    }
    return v;
  }
}
