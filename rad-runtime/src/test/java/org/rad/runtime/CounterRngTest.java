package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Known-answer vectors (any change to a formula fails them: a CUDA port must reproduce them) and
 * seeded statistical checks. Statistical bounds are 5 standard deviations: a correct generator
 * fails one with probability below 1e-6 (normal approximation), and the checks are deterministic
 * for the fixed seeds.
 */
class CounterRngTest {

  // ---- known answers ---------------------------------------------------------------------------

  @Test
  void mixKnownAnswers() {
    assertEquals(0L, CounterRng.mix(0));
    assertEquals(0x5692161D100B05E5L, CounterRng.mix(1));
    assertEquals(0xB4D055FCF2CBBD7BL, CounterRng.mix(-1));
    // the first output of the reference SplitMix64 from state 0 (Steele, Lea, Flood 2014; Vigna)
    assertEquals(0xE220A8397B1DCDAFL, CounterRng.mix(0x9E3779B97F4A7C15L));
  }

  @Test
  void keyKnownAnswers() {
    assertEquals(0x9E3779B97F4A7C15L, CounterRng.key());
    assertEquals(0x0000000000000000L, CounterRng.key(0)); // mix(GOLDEN ^ GOLDEN) = mix(0)
    assertEquals(0xED76E59F1BF12492L, CounterRng.key(5));
    assertEquals(0xD9C5E8FA6971659BL, CounterRng.key(1, 2));
    assertEquals(0x91AC212FC38A09FAL, CounterRng.key(1, 2, 3));
    assertEquals(0xDDEB75BD01F7B718L, CounterRng.key(-1, 0, 7, 9));
  }

  @Test
  void hashUniformAndIndexKnownAnswers() {
    long h = CounterRng.hash(42, 7, CounterRng.key(5));
    assertEquals(0x0AD4B74B98DA4757L, h);
    assertEquals(0x1.5a96e9731b48p-5, CounterRng.uniform(h));
    assertEquals(42, CounterRng.index(h, 1000));
    assertEquals(0L, CounterRng.hash(0, 0, 0));
    long h2 = CounterRng.hash(-3, -1, CounterRng.key(1, 2, 3));
    assertEquals(0xED2EC65E178CC54EL, h2);
    assertEquals(0x1.da5d8cbc2f198p-1, CounterRng.uniform(h2));
  }

  @Test
  void keepFollowsTheWrittenFormula() {
    // ReferenceSampling.keptByFormula walks the skips as the comment at the top of CounterRng.java
    // states them, one draw at a time with a linear search of the skip
    SplittableRandom random = new SplittableRandom(11);
    double[] fractions = {0.001, 0.01, 0.1, 0.5, 0.9};
    int kept = 0;
    for (int n = 0; n < 20_000; n++) {
      long seed = random.nextLong();
      int site = random.nextInt(-5, 50);
      long key = random.nextLong();
      long row = random.nextLong(-3, 40);
      long x = random.nextLong(-200, 1000);
      double f = n % 6 < 5 ? fractions[n % 6] : random.nextDouble();
      boolean keep = CounterRng.keep(seed, site, key, row, x, f);
      assertEquals(ReferenceSampling.keptByFormula(seed, site, key, row, x, f), keep, "case " + n);
      kept += keep ? 1 : 0;
    }
    assertTrue(kept > 3000 && kept < 17000, "both outcomes covered: " + kept);
  }

  @Test
  void keptLanesDecidesEveryRequestedLaneAsKeepDoes() {
    SplittableRandom random = new SplittableRandom(12);
    for (int n = 0; n < 3000; n++) {
      long seed = random.nextLong();
      int site = random.nextInt(100);
      long key = random.nextLong();
      long row = random.nextLong(0, 50);
      long block = random.nextLong(-3, 20);
      long lanes = n % 3 == 0 ? -1L : random.nextLong();
      double f = new double[] {0.001, 0.01, 0.3, 0.5, 0.999, 0.05}[n % 6];
      long mask = CounterRng.keptLanes(CounterRng.hash(seed, site, key), row, block, lanes, CounterRng.skipTable(f));
      for (int lane = 0; lane < 64; lane++) {
        boolean expected = ((lanes >>> lane) & 1) != 0 && CounterRng.keep(seed, site, key, row, 64 * block + lane, f);
        assertEquals(expected, ((mask >>> lane) & 1) != 0, "case " + n + " lane " + lane);
      }
    }
  }

  @Test
  void keepKnownAnswers() {
    long base = CounterRng.hash(42, 7, CounterRng.key());
    assertEquals(KEPT_AT_TENTH, CounterRng.keptLanes(base, 0, 0, -1L, CounterRng.skipTable(0.1)));
    assertEquals(KEPT_AT_HALF_ROW_5_BLOCK_3, CounterRng.keptLanes(base, 5, 3, -1L, CounterRng.skipTable(0.5)));
    assertEquals(0L, CounterRng.keptLanes(base, 0, 0, 0L, CounterRng.skipTable(0.5)));
    for (int lane = 0; lane < 64; lane++) {
      assertEquals(((KEPT_AT_TENTH >>> lane) & 1) != 0, CounterRng.keep(42, 7, CounterRng.key(), 0, lane, 0.1));
      assertEquals(((KEPT_AT_HALF_ROW_5_BLOCK_3 >>> lane) & 1) != 0,
          CounterRng.keep(42, 7, CounterRng.key(), 5, 192 + lane, 0.5));
      assertTrue(CounterRng.keep(42, 7, CounterRng.key(), 0, lane, 1.0));
    }
    long[] table = CounterRng.skipTable(0.25);
    assertEquals(1L << 53, table[0]);
    assertEquals(3L << 51, table[1]); // 0.75 * 2^53
    assertEquals(9L << 49, table[2]); // 0.5625 * 2^53
  }

  private static final long KEPT_AT_TENTH = 0x8000000050010000L;
  private static final long KEPT_AT_HALF_ROW_5_BLOCK_3 = 0xECA32E8A39A4DAAAL;

  /**
   * The exact probability that each lane of a block is kept, from the skip table by the renewal
   * recursion a(l) = P(S = l) + sum_{j < l} a(j) P(S = l - j - 1), in exact decimal arithmetic:
   * within a relative 1e-12 of f for every lane, so the 1/f scaling leaves no bias above that.
   * Two neighbouring lanes are both kept with probability a(l) P(S = 0), within 1e-12 of f^2.
   */
  @Test
  void everyLaneIsKeptWithProbabilityFraction() {
    java.math.MathContext mc = new java.math.MathContext(60);
    java.math.BigDecimal scale = new java.math.BigDecimal(1L << 53);
    for (double f : new double[] {0.5, 0.3, 0.1, 0.05, 0.01, 0.001}) {
      long[] table = CounterRng.skipTable(f);
      java.math.BigDecimal[] pSkip = new java.math.BigDecimal[65]; // P(S = k)
      for (int k = 0; k < 64; k++) {
        pSkip[k] = new java.math.BigDecimal(table[k] - table[k + 1]).divide(scale, mc);
      }
      pSkip[64] = new java.math.BigDecimal(table[64]).divide(scale, mc);
      java.math.BigDecimal[] a = new java.math.BigDecimal[64];
      java.math.BigDecimal exactF = new java.math.BigDecimal(f);
      for (int l = 0; l < 64; l++) {
        java.math.BigDecimal sum = pSkip[l];
        for (int j = 0; j < l; j++) {
          sum = sum.add(a[j].multiply(pSkip[l - j - 1], mc), mc);
        }
        a[l] = sum;
        double relative = sum.subtract(exactF).abs().divide(exactF, mc).doubleValue();
        assertTrue(relative < 1e-12, "f = " + f + ", lane " + l + ": P(kept) off by a relative " + relative);
        if (l > 0) {
          java.math.BigDecimal both = a[l - 1].multiply(pSkip[0], mc);
          double pairError = both.subtract(exactF.multiply(exactF)).abs().divide(exactF.multiply(exactF), mc).doubleValue();
          assertTrue(pairError < 1e-12, "f = " + f + ", lanes " + (l - 1) + " and " + l + ": " + pairError);
        }
      }
    }
  }

  @Test
  void keepFrequencyIsTheFractionAtEveryLane() {
    // 20,000 blocks: lanes 0, 1, 31, 62 and 63 each kept about f of the time (5 sigma)
    int blocks = 20_000;
    for (double f : new double[] {0.5, 0.1, 0.01}) {
      long[] table = CounterRng.skipTable(f);
      int[] counts = new int[64];
      for (int b = 0; b < blocks; b++) {
        long mask = CounterRng.keptLanes(CounterRng.hash(77, 3, CounterRng.key(b)), 0, 0, -1L, table);
        for (int l = 0; l < 64; l++) {
          counts[l] += (int) ((mask >>> l) & 1);
        }
      }
      double sigma = Math.sqrt(blocks * f * (1 - f));
      for (int l : new int[] {0, 1, 31, 62, 63}) {
        assertEquals(blocks * f, counts[l], 5 * sigma, "f = " + f + ", lane " + l);
      }
    }
  }

  @Test
  void streamSeedKnownAnswersAreSplitMix64Outputs() {
    assertEquals(0xE220A8397B1DCDAFL, CounterRng.streamSeed(0, 0));
    assertEquals(0x6E789E6AA1B965F4L, CounterRng.streamSeed(0, 1));
    assertEquals(0xBDD732262FEB6E95L, CounterRng.streamSeed(42, 0));
    assertEquals(0x9E54D738297F77AEL, CounterRng.streamSeed(42, 9));
    // the same as running SplitMix64 from state 42
    long state = 42;
    for (int call = 0; call < 10; call++) {
      state += CounterRng.GOLDEN;
      assertEquals(CounterRng.mix(state), CounterRng.streamSeed(42, call));
    }
  }

  @Test
  void mixIsTheSplitMix64FinalizerWrittenOut() {
    long z = 0x0123456789ABCDEFL;
    long expected = z;
    expected ^= expected >>> 30;
    expected *= 0xbf58476d1ce4e5b9L;
    expected ^= expected >>> 27;
    expected *= 0x94d049bb133111ebL;
    expected ^= expected >>> 31;
    assertEquals(expected, CounterRng.mix(z));
  }

  @Test
  void fixedArityKeysEqualTheVarargsFoldAndExtend() {
    long[][] cases = {{}, {0}, {7}, {-1}, {3, 4}, {Long.MIN_VALUE, Long.MAX_VALUE}, {1, 2, 3}, {9, 0, -9}};
    for (long[] c : cases) {
      long h = 0x9E3779B97F4A7C15L;
      for (long index : c) {
        h = CounterRng.mix(h ^ (index * 0xD1B54A32D192ED03L + 0x9E3779B97F4A7C15L));
      }
      assertEquals(h, CounterRng.key(c));
      switch (c.length) {
        case 0 -> assertEquals(h, CounterRng.key());
        case 1 -> assertEquals(h, CounterRng.key(c[0]));
        case 2 -> assertEquals(h, CounterRng.key(c[0], c[1]));
        default -> assertEquals(h, CounterRng.key(c[0], c[1], c[2]));
      }
    }
    assertEquals(CounterRng.key(4, 5, 6), CounterRng.extend(CounterRng.extend(CounterRng.key(4), 5), 6));
    assertEquals(CounterRng.hash(1, 2, 3), CounterRng.mix(CounterRng.mix(1 ^ (2 * 0x9E3779B97F4A7C15L)) ^ 3));
    // negative sites are sign-extended
    assertEquals(CounterRng.hash(1, -2, 3), CounterRng.mix(CounterRng.mix(1 ^ (-2L * 0x9E3779B97F4A7C15L)) ^ 3));
  }

  @Test
  void keysOfNeighbouringIndicesAreDistinctAndOrderMatters() {
    Set<Long> keys = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      for (int j = 0; j < 300; j++) {
        assertTrue(keys.add(CounterRng.key(i, j)), "collision at " + i + "," + j);
      }
    }
    assertTrue(CounterRng.key(1, 2) != CounterRng.key(2, 1));
  }

  @Test
  void uniformAndIndexRanges() {
    assertEquals(0.0, CounterRng.uniform(0));
    assertEquals(1.0 - 0x1.0p-53, CounterRng.uniform(-1L));
    assertTrue(CounterRng.uniform(-1L) < 1.0);
    assertEquals(999, CounterRng.index(-1L, 1000));
    assertEquals(0, CounterRng.index(0, 1000));
    assertEquals(Integer.MAX_VALUE - 1, CounterRng.index(-1L, Integer.MAX_VALUE));
    assertEquals(0, CounterRng.index(-1L, 1));
    assertEquals(1.0, CounterRng.sign(0b10, 0));
    assertEquals(-1.0, CounterRng.sign(0b10, 1));
    assertEquals(-1.0, CounterRng.sign(Long.MIN_VALUE, 63));
  }

  @Test
  void keepAtFractionOneAlwaysKeeps() {
    for (int i = 0; i < 1000; i++) {
      assertTrue(CounterRng.keep(i, i, CounterRng.key(), 0, i, 1.0));
    }
  }

  @Test
  void sampleCount() {
    assertEquals(0, CounterRng.sampleCount(0.5, 0));
    assertEquals(1, CounterRng.sampleCount(0.001, 10)); // at least one
    assertEquals(3, CounterRng.sampleCount(0.3, 10)); // 0.3 * 10 = 3.0000000000000004
    assertEquals(4, CounterRng.sampleCount(0.31, 10));
    assertEquals(10, CounterRng.sampleCount(1.0, 10));
    assertEquals(10_000, CounterRng.sampleCount(0.1, 100_000));
    assertEquals(1, CounterRng.sampleCount(0.1, 1));
    assertEquals(7, CounterRng.sampleCount(0.7, 10)); // 7.000000000000001
  }

  // ---- statistics ------------------------------------------------------------------------------

  private static final int N = 1_000_000;

  @Test
  void keepFrequencyIsTheFraction() {
    for (double f : new double[] {0.5, 0.1, 0.01}) {
      long seed = CounterRng.streamSeed(2024, 0);
      int kept = 0;
      for (int i = 0; i < N; i++) {
        if (CounterRng.keep(seed, 3, CounterRng.key(), 0, i, f)) {
          kept++;
        }
      }
      double sigma = Math.sqrt(N * f * (1 - f));
      assertEquals(N * f, kept, 5 * sigma, "fraction " + f);
    }
  }

  @Test
  void keepFrequencyOverTwoDimensionalKeysAndRawSeeds() {
    // small, structured seeds and keys (no streamSeed) must not matter either
    double f = 0.1;
    int kept = 0;
    for (int i = 0; i < 1000; i++) {
      for (int j = 0; j < 1000; j++) {
        if (CounterRng.keep(0, 0, CounterRng.key(), i, j, f)) {
          kept++;
        }
      }
    }
    assertEquals(N * f, kept, 5 * Math.sqrt(N * f * (1 - f)));
  }

  @Test
  void uniformIsUniformOverTwentyBins() {
    long seed = CounterRng.streamSeed(7, 3);
    int bins = 20;
    long[] counts = new long[bins];
    for (int i = 0; i < N; i++) {
      counts[(int) (CounterRng.uniform(CounterRng.hash(seed, 11, CounterRng.key(i))) * bins)]++;
    }
    double expected = (double) N / bins;
    double chi2 = 0;
    for (long c : counts) {
      chi2 += (c - expected) * (c - expected) / expected;
    }
    // 19 degrees of freedom: P(chi2 > 50) < 1e-4
    assertTrue(chi2 < 50, "chi2 = " + chi2);
  }

  @Test
  void decisionsOfNeighbouringKeysSitesSeedsAndCallsAreUncorrelated() {
    long seed = CounterRng.streamSeed(99, 0);
    double f = 0.5;
    // agreement rate of two independent fair coins is 1/2 with standard deviation 1/(2 sqrt(N))
    double tolerance = 5 * 0.5 / Math.sqrt(N);
    int byIndex = 0;
    int byInnerIndex = 0;
    int byRow = 0;
    int byRecordKey = 0;
    int bySite = 0;
    int bySeed = 0;
    int byCall = 0;
    long nextCall = CounterRng.streamSeed(99, 1);
    for (int i = 0; i < N; i++) {
      boolean a = CounterRng.keep(seed, 5, CounterRng.key(), 0, i, f);
      if (a == CounterRng.keep(seed, 5, CounterRng.key(), 0, i + 1, f)) {
        byIndex++;
      }
      if (a == CounterRng.keep(seed, 6, CounterRng.key(), 0, i, f)) {
        bySite++;
      }
      if (a == CounterRng.keep(seed + 1, 5, CounterRng.key(), 0, i, f)) {
        bySeed++;
      }
      if (a == CounterRng.keep(nextCall, 5, CounterRng.key(), 0, i, f)) {
        byCall++;
      }
      int outer = i / 1000;
      int inner = i % 1000;
      boolean b = CounterRng.keep(seed, 5, CounterRng.key(), outer, inner, f);
      if (b == CounterRng.keep(seed, 5, CounterRng.key(), outer, inner + 1, f)) {
        byInnerIndex++;
      }
      if (b == CounterRng.keep(seed, 5, CounterRng.key(), outer + 1, inner, f)) {
        byRow++;
      }
      if (b == CounterRng.keep(seed, 5, CounterRng.key(outer), 0, inner, f)) {
        byRecordKey++;
      }
    }
    assertEquals(0.5, byIndex / (double) N, tolerance, "neighbouring indices");
    assertEquals(0.5, byInnerIndex / (double) N, tolerance, "neighbouring inner indices");
    assertEquals(0.5, byRow / (double) N, tolerance, "neighbouring rows");
    assertEquals(0.5, byRecordKey / (double) N, tolerance, "a row and a record key of the same index");
    assertEquals(0.5, bySite / (double) N, tolerance, "neighbouring sites");
    assertEquals(0.5, bySeed / (double) N, tolerance, "neighbouring seeds");
    assertEquals(0.5, byCall / (double) N, tolerance, "successive calls");
  }

  @Test
  void uniformsOfNeighbouringKeysHaveNoLinearCorrelation() {
    long seed = CounterRng.streamSeed(5, 0);
    double sx = 0;
    double sy = 0;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < N; i++) {
      double x = CounterRng.uniform(CounterRng.hash(seed, 1, CounterRng.key(i)));
      double y = CounterRng.uniform(CounterRng.hash(seed, 1, CounterRng.key(i + 1)));
      sx += x;
      sy += y;
      sxy += x * y;
      sxx += x * x;
      syy += y * y;
    }
    double cov = sxy / N - (sx / N) * (sy / N);
    double r = cov / Math.sqrt((sxx / N - (sx / N) * (sx / N)) * (syy / N - (sy / N) * (sy / N)));
    assertEquals(0, r, 5 / Math.sqrt(N), "Pearson correlation");
    assertEquals(0.5, sx / N, 5 * Math.sqrt(1.0 / 12 / N), "mean of uniform");
  }


  /**
   * The indexed skip equals the searched one: at every threshold and its neighbours, at both ends
   * of every range of the index, and at 200,000 random draws, for fractions from 1e-6 to 0.999.
   */
  @Test
  void theIndexedSkipIsTheSearchedSkip() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(11);
    for (double f : new double[] {0.999, 0.5, 0.3, 0.1, 0.05, 0.01, 0.001, 1e-6}) {
      long[] table = CounterRng.skipTable(f);
      java.util.List<Long> draws = new java.util.ArrayList<>();
      for (int k = 0; k <= CounterRng.BLOCK; k++) {
        for (long d = -2; d <= 2; d++) {
          draws.add(table[k] + d);
        }
      }
      for (long b = 0; b < CounterRng.SKIP_BUCKETS; b++) {
        draws.add(b << 41);
        draws.add((b << 41) + (1L << 41) - 1);
      }
      for (int n = 0; n < 200_000; n++) {
        draws.add(random.nextLong() >>> 11);
      }
      for (long u : draws) {
        if (u >= 0 && u < 1L << 53) {
          assertEquals(CounterRng.searchSkip(u, table), CounterRng.skip(u, table), "f = " + f + ", u = " + u);
        }
      }
    }
  }

  /** keptRows walks many rows at once and finds, row for row, what keptLanes finds. */
  @Test
  void rowsDrawnTogetherKeepWhatEachRowKeeps() {
    SplittableRandom random = new SplittableRandom(11);
    int[] rows = new int[64];
    long[] kept = new long[64];
    for (double f : new double[] {0.9, 0.3, 0.05, 0.01, 0.001}) {
      long[] table = CounterRng.skipTable(f);
      for (int trial = 0; trial < 300; trial++) {
        long base = random.nextLong();
        long firstRow = random.nextInt(-1000, 1000);
        int count = random.nextInt(1, 65);
        int from = random.nextInt(0, 64);
        int to = random.nextInt(from + 1, 65);
        long lanes = (to == 64 ? -1L : (1L << to) - 1) & (-1L << from);
        int walked = CounterRng.keptRows(base, firstRow, count, lanes, table, rows, kept);
        long[] expected = new long[count];
        for (int r = 0; r < count; r++) {
          expected[r] = CounterRng.keptLanes(base, firstRow + r, 0, lanes, table);
        }
        long[] found = new long[count];
        for (int k = 0; k < walked; k++) {
          assertTrue(k == 0 || rows[k] > rows[k - 1], "rows in increasing order");
          found[rows[k]] = kept[k];
        }
        assertEquals(java.util.Arrays.toString(expected), java.util.Arrays.toString(found),
            "f = " + f + ", rows " + firstRow + " + " + count + ", lanes [" + from + ", " + to + ")");
      }
    }
  }
}
