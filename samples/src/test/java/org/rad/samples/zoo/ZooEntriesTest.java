package org.rad.samples.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The zoo's registry and result lines; the measurements themselves are bin/rad bench-zoo's. */
class ZooEntriesTest {
  @Test
  void everyEntryHasItsNameAndANeedAtTheQuickSize() {
    for (String name : ZooEntries.names()) {
      ZooEntry entry = ZooEntries.create(name);
      assertEquals(name, entry.name());
      entry.setUp(false);
      assertTrue(entry.needBytes() > 0, name);
    }
    assertThrows(IllegalArgumentException.class, () -> ZooEntries.create("no-such-entry"));
  }

  /** The need formulas at hand-counted sizes. */
  @Test
  void needFormulasCountWhatTheirJavadocSays() {
    ZooEntry reactor = ZooEntries.create("reactor-rows");
    reactor.setUp(true);
    assertEquals(8L * 31 * 31 * 40960, reactor.needBytes());
    ZooEntry gmm = ZooEntries.create("gmm");
    gmm.setUp(false);
    assertEquals(8L * (1000 * 25 * 21 - 20 - 25), gmm.needBytes());
    ZooEntry lstm = ZooEntries.create("lstm");
    lstm.setUp(false);
    assertEquals(8L * 1023 * (2 * 2 * 14 + 2 * 14), lstm.needBytes());
    ZooEntry rnn = ZooEntries.create("rnn");
    rnn.setUp(false);
    assertEquals(8L * 64 * 499, rnn.needBytes());
  }

  /** --forks: every figure of a row comes from the one JVM of median time, not a mix of JVMs. */
  @Test
  void theMedianForkIsOneRun() {
    ZooResult fast = new ZooResult("e", "s", 10, 25, 1, 1, 20, 1, "rule", "c");
    ZooResult mid = new ZooResult("e", "s", 10, 28, 1, 1, 30, 1, "rule", "c");
    ZooResult slow = new ZooResult("e", "s", 14, 45, 1, 1, 25, 1, "rule", "c");
    assertEquals(mid, ZooBenchmark.medianOf(java.util.List.of(slow, fast, mid), ZooResult::ratio)); // 3.21, 2.5, 2.8
    assertEquals(slow, ZooBenchmark.medianOf(java.util.List.of(slow, fast, mid), ZooResult::randomizedMillis));
    assertEquals(fast, ZooBenchmark.medianOf(java.util.List.of(mid, fast), ZooResult::ratio)); // the lower middle
  }

  @Test
  void resultLineRoundTrips() {
    ZooResult r = new ZooResult("gmm", "d=10, K=25", 1.5, 4.25, 1234, 1000, Double.NaN, -1, "8 n K", "1.0e+00");
    assertEquals(r, ZooResult.parse(r.format()));
    assertEquals(4.25 / 1.5, r.ratio(), 1e-15);
  }

  /** One measurement, in this JVM, of the cheapest entry: the figures are there and positive. */
  @Test
  void measureTimesPrimalAndGradient() {
    ZooResult r = ZooEntryMain.measure(ZooEntries.create("rnn"), false, 0, 1, false);
    assertTrue(r.primalMillis() > 0 && r.gradientMillis() > 0, r.format());
    assertTrue(r.tapeBytes() >= r.needBytes() / 2, r.format());
    assertTrue(Double.isNaN(r.randomizedMillis()), r.format());
  }

  /** The same with the thread's CPU time as the clock. */
  @Test
  void measureOnTheCpuClock() {
    ZooResult r = ZooEntryMain.measure(ZooEntries.create("rnn"), false, 0, 1, true);
    assertTrue(r.primalMillis() > 0 && r.gradientMillis() > 0, r.format());
  }

  /**
   * The phases bench-zoo runs in separate JVMs: the exact one times the primal and the exact
   * gradient only, the randomized one the randomized gradient only (a reactor style, quick size).
   */
  @Test
  void phasesMeasureOneKindOfGradientEach() {
    ZooResult exact = ZooEntryMain.measure(ZooEntries.create("reactor-indexed"), false, 0, 1, true, true, false);
    assertTrue(exact.primalMillis() > 0 && exact.gradientMillis() > 0, exact.format());
    assertTrue(Double.isNaN(exact.randomizedMillis()) && exact.randomizedTapeBytes() == -1, exact.format());
    ZooResult randomized = ZooEntryMain.measure(ZooEntries.create("reactor-indexed"), false, 0, 1, true, false, true);
    assertTrue(Double.isNaN(randomized.primalMillis()) && Double.isNaN(randomized.gradientMillis()), randomized.format());
    assertTrue(randomized.randomizedMillis() > 0 && randomized.randomizedTapeBytes() > 0, randomized.format());
    assertTrue(randomized.randomizedTapeBytes() < exact.tapeBytes() / 10, "f = 0.01 keeps about 1% of the rows' values");
  }

  /**
   * The n-body problem tapes the positions alone (its forces helper only accumulates into the
   * accelerations, which were recorded too, 2 n^2 doubles per step against 2 n, before the
   * callers learned what their callees' reverse sweeps read), and soft-DTW the table alone (its
   * cells were each recorded once more before records went element by element): within 10% of
   * the need.
   */
  @Test
  void userStyleEntriesTapeWhatTheyNeed() {
    for (String name : new String[] {"nbody-forces", "soft-dtw"}) {
      ZooResult r = ZooEntryMain.measure(ZooEntries.create(name), false, 0, 1, true);
      assertTrue(r.tapeBytes() >= r.needBytes() && r.tapeBytes() <= 1.1 * r.needBytes(), r.format());
    }
  }
}
