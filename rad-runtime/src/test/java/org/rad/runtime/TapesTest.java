package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** LIFO order across chunk boundaries, byte counts, reuse after clearing, and underflow. */
class TapesTest {

  // ---- DoubleTape ------------------------------------------------------------------------------

  @Test
  void doubleTapeIsLifoAcrossChunks() {
    DoubleTape tape = new DoubleTape();
    int n = 3 * DoubleTape.CHUNK + 17;
    for (int i = 0; i < n; i++) {
      tape.push(i * 0.5 - 7);
    }
    assertEquals(n, tape.size());
    assertEquals(8L * n, tape.bytes());
    for (int i = n - 1; i >= 0; i--) {
      assertEquals(i * 0.5 - 7, tape.pop(), "value " + i);
      assertEquals(i, tape.size());
    }
    assertEquals(0, tape.bytes());
    assertThrows(IllegalStateException.class, tape::pop);
  }

  @Test
  void doubleTapeInterleavesPushAndPopAtChunkBoundaries() {
    DoubleTape tape = new DoubleTape();
    List<Double> model = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(1);
    // hover around the first and second chunk boundary so that pops cross back and forth
    for (int i = 0; i < DoubleTape.CHUNK * 2 + 50; i++) {
      double v = random.nextDouble();
      tape.push(v);
      model.add(v);
    }
    for (int round = 0; round < 2000; round++) {
      if (random.nextInt(3) > 0 || model.isEmpty()) {
        double v = random.nextDouble();
        tape.push(v);
        model.add(v);
      } else {
        assertEquals(model.remove(model.size() - 1), tape.pop());
      }
      if (round % 500 == 0) {
        for (int k = 0; k < 120 && !model.isEmpty(); k++) {
          assertEquals(model.remove(model.size() - 1), tape.pop());
        }
      }
      assertEquals(model.size(), tape.size());
    }
    while (!model.isEmpty()) {
      assertEquals(model.remove(model.size() - 1), tape.pop());
    }
    assertThrows(IllegalStateException.class, tape::pop);
  }

  @Test
  void doubleTapeIsReusableAfterClear() {
    DoubleTape tape = new DoubleTape();
    int n = 2 * DoubleTape.CHUNK + 3;
    for (int i = 0; i < n; i++) {
      tape.push(i);
    }
    tape.clear();
    assertEquals(0, tape.size());
    assertThrows(IllegalStateException.class, tape::pop);
    for (int i = 0; i < n + DoubleTape.CHUNK; i++) {
      tape.push(-i);
    }
    for (int i = n + DoubleTape.CHUNK - 1; i >= 0; i--) {
      assertEquals(-i, tape.pop());
    }
    assertThrows(IllegalStateException.class, tape::pop);
  }

  @Test
  void doubleTapeUnderflowAfterFullChunkPopped() {
    DoubleTape tape = new DoubleTape();
    for (int i = 0; i < DoubleTape.CHUNK; i++) {
      tape.push(i);
    }
    for (int i = 0; i < DoubleTape.CHUNK; i++) {
      tape.pop();
    }
    IllegalStateException e = assertThrows(IllegalStateException.class, tape::pop);
    assertTrue(e.getMessage().contains("underflow"), e.getMessage());
    // still usable after the failed pop
    tape.push(4.25);
    assertEquals(4.25, tape.pop());
  }

  @Test
  void doubleTapeBulkPushAndPopMatchSinglePushesAcrossChunks() {
    SplittableRandom random = new SplittableRandom(9);
    DoubleTape bulk = new DoubleTape();
    List<Double> model = new ArrayList<>();
    List<double[]> pushed = new ArrayList<>();
    // lengths that straddle chunk boundaries, including empty ranges and more than a chunk
    int[] lengths = {0, 5, DoubleTape.CHUNK - 3, 7, 2 * DoubleTape.CHUNK + 11, 0, 1, DoubleTape.CHUNK};
    for (int length : lengths) {
      double[] values = new double[length + 4];
      for (int i = 0; i < values.length; i++) {
        values[i] = random.nextDouble();
      }
      bulk.pushAll(values, 2, 2 + length);
      for (int i = 2; i < 2 + length; i++) {
        model.add(values[i]);
      }
      bulk.push(-1); // a single push between ranges
      model.add(-1.0);
      pushed.add(values);
      assertEquals(model.size(), bulk.size());
    }
    for (int t = lengths.length - 1; t >= 0; t--) {
      assertEquals(-1, bulk.pop());
      int length = lengths[t];
      double[] into = new double[length + 6];
      into[0] = 42;
      into[length + 5] = 43;
      bulk.popAll(into, 3, 3 + length);
      double[] values = pushed.get(t);
      for (int i = 0; i < length; i++) {
        assertEquals(values[2 + i], into[3 + i], "range " + t + " value " + i);
      }
      assertEquals(42, into[0]);
      assertEquals(43, into[length + 5]);
    }
    assertEquals(0, bulk.size());
    assertThrows(IllegalStateException.class, () -> bulk.popAll(new double[1], 0, 1));
  }

  // ---- IntTape ---------------------------------------------------------------------------------

  @Test
  void intTapeIsLifoAcrossChunks() {
    IntTape tape = new IntTape();
    int n = 3 * IntTape.CHUNK + 17;
    for (int i = 0; i < n; i++) {
      tape.push(i * 31 - 1000);
    }
    assertEquals(n, tape.size());
    assertEquals(4L * n, tape.bytes());
    for (int i = n - 1; i >= 0; i--) {
      assertEquals(i * 31 - 1000, tape.pop(), "value " + i);
    }
    assertEquals(0, tape.size());
    assertEquals(0, tape.bytes());
    assertThrows(IllegalStateException.class, tape::pop);
  }

  @Test
  void intTapeIsReusableAfterClear() {
    IntTape tape = new IntTape();
    for (int i = 0; i < IntTape.CHUNK + 5; i++) {
      tape.push(i);
    }
    tape.clear();
    assertEquals(0, tape.bytes());
    assertThrows(IllegalStateException.class, tape::pop);
    int n = 3 * IntTape.CHUNK + 17;
    for (int i = 0; i < n; i++) {
      tape.push(Integer.MIN_VALUE + i);
    }
    for (int i = n - 1; i >= 0; i--) {
      assertEquals(Integer.MIN_VALUE + i, tape.pop());
    }
    assertThrows(IllegalStateException.class, tape::pop);
  }

  // ---- RefTape ---------------------------------------------------------------------------------

  @Test
  void refTapeIsLifoAcrossChunksAndKeepsIdentity() {
    RefTape tape = new RefTape();
    int n = 3 * RefTape.CHUNK + 17;
    Object[] pushed = new Object[n];
    for (int i = 0; i < n; i++) {
      pushed[i] = i % 7 == 0 ? null : new double[i % 5];
      tape.push(pushed[i]);
    }
    assertEquals(n, tape.size());
    assertEquals((long) RefTape.REF_BYTES * n, tape.bytes());
    for (int i = n - 1; i >= 0; i--) {
      assertSame(pushed[i], tape.pop(), "ref " + i);
    }
    assertEquals(0, tape.bytes());
    assertThrows(IllegalStateException.class, tape::pop);
  }

  @Test
  void refTapePopNullsTheSlot() throws Exception {
    RefTape tape = new RefTape();
    int n = RefTape.CHUNK + 10;
    for (int i = 0; i < n; i++) {
      tape.push(new int[] {i});
    }
    for (int i = 0; i < 20; i++) { // crosses back into the first chunk
      tape.pop();
    }
    @SuppressWarnings("unchecked")
    List<Object[]> chunks = (List<Object[]>) field(tape, "chunks");
    for (Object[] chunk : chunks) {
      for (int i = 0; i < chunk.length; i++) {
        long index = (long) chunks.indexOf(chunk) * RefTape.CHUNK + i;
        if (index >= tape.size()) {
          assertNull(chunk[i], "slot " + index + " still holds a popped reference");
        }
      }
    }
    List<Object> seen = new ArrayList<>();
    tape.forEach(seen::add);
    assertEquals(tape.size(), seen.size());
    for (int i = 0; i < seen.size(); i++) {
      assertEquals(i, ((int[]) seen.get(i))[0]);
    }
  }

  @Test
  void refTapeClearReleasesReferencesAndIsReusable() throws Exception {
    RefTape tape = new RefTape();
    for (int i = 0; i < 2 * RefTape.CHUNK + 1; i++) {
      tape.push(new Object());
    }
    tape.clear();
    @SuppressWarnings("unchecked")
    List<Object[]> chunks = (List<Object[]>) field(tape, "chunks");
    for (Object[] chunk : chunks) {
      for (Object o : chunk) {
        assertNull(o);
      }
    }
    assertThrows(IllegalStateException.class, tape::pop);
    Object a = new Object();
    tape.push(a);
    assertSame(a, tape.pop());
  }

  // ---- BitTape ---------------------------------------------------------------------------------

  @Test
  void bitTapeIsLifoAndGrows() {
    BitTape tape = new BitTape();
    int n = 3 * 64 * 64 + 17; // beyond the initial 64 words, twice over
    SplittableRandom random = new SplittableRandom(7);
    boolean[] bits = new boolean[n];
    for (int i = 0; i < n; i++) {
      bits[i] = random.nextBoolean();
      tape.push(bits[i]);
      assertEquals(i + 1, tape.size());
      assertEquals((i + 1 + 7) / 8, tape.bytes());
    }
    for (int i = n - 1; i >= 0; i--) {
      assertEquals(bits[i], tape.pop(), "bit " + i);
    }
    assertEquals(0, tape.bytes());
    assertThrows(IllegalStateException.class, tape::pop);
  }

  @Test
  void bitTapeOverwritesStaleBitsOnReuse() {
    BitTape tape = new BitTape();
    for (int i = 0; i < 200; i++) {
      tape.push(true);
    }
    tape.clear();
    assertEquals(0, tape.size());
    assertThrows(IllegalStateException.class, tape::pop);
    for (int i = 0; i < 200; i++) {
      tape.push(i % 3 == 0);
    }
    for (int i = 199; i >= 0; i--) {
      assertEquals(i % 3 == 0, tape.pop());
    }
    // pop then push at the same position overwrites a 1 with a 0
    tape.push(true);
    tape.pop();
    tape.push(false);
    assertFalse(tape.pop());
  }

  /**
   * Pushes and pops in random runs against a model stack, so that the word in progress is filled,
   * emptied and refilled across word boundaries in every order (the tape keeps that word in a
   * field and stores it once per 64 bits).
   */
  @Test
  void bitTapeMatchesAStackUnderInterleavedPushesAndPops() {
    BitTape tape = new BitTape();
    java.util.ArrayDeque<Boolean> model = new java.util.ArrayDeque<>();
    SplittableRandom random = new SplittableRandom(11);
    for (int run = 0; run < 2000; run++) {
      int length = random.nextInt(1, 150);
      if (random.nextBoolean() || model.size() < length) {
        for (int k = 0; k < length; k++) {
          boolean bit = random.nextBoolean();
          tape.push(bit);
          model.push(bit);
        }
      } else {
        for (int k = 0; k < length; k++) {
          assertEquals(model.pop(), tape.pop(), "run " + run);
        }
      }
      assertEquals(model.size(), tape.size());
    }
    while (!model.isEmpty()) {
      assertEquals(model.pop(), tape.pop());
    }
    assertThrows(IllegalStateException.class, tape::pop);
  }

  @Test
  void bitTapeByteCounts() {
    BitTape tape = new BitTape();
    assertEquals(0, tape.bytes());
    tape.push(true);
    assertEquals(1, tape.bytes());
    for (int i = 1; i < 8; i++) {
      tape.push(false);
    }
    assertEquals(1, tape.bytes());
    tape.push(true);
    assertEquals(2, tape.bytes());
  }

  // ---- through RadContext ----------------------------------------------------------------------

  @Test
  void contextReusesTapesAfterBegin() {
    RadContext ctx = RadContext.exact();
    int n = 3 * DoubleTape.CHUNK + 17;
    for (int call = 0; call < 3; call++) {
      ctx.begin();
      for (int i = 0; i < n; i++) {
        ctx.pushDouble(i + call);
        ctx.pushInt(i - call);
        ctx.pushBit((i + call) % 2 == 0);
      }
      int[] marker = new int[call + 1];
      ctx.pushRef(marker);
      if (call == 1) {
        // leave everything on the tapes: the next begin() must empty them
        ctx.end();
        continue;
      }
      assertSame(marker, ctx.popRef());
      for (int i = n - 1; i >= 0; i--) {
        assertEquals((i + call) % 2 == 0, ctx.popBit());
        assertEquals(i - call, ctx.popInt());
        assertEquals(i + call, ctx.popDouble());
      }
      assertThrows(IllegalStateException.class, ctx::popDouble);
      assertThrows(IllegalStateException.class, ctx::popInt);
      assertThrows(IllegalStateException.class, ctx::popBit);
      assertThrows(IllegalStateException.class, ctx::popRef);
      assertThrows(IllegalStateException.class, ctx::popAdjoint);
      ctx.end();
    }
  }

  @Test
  void adjointTapeRoundTrips() {
    RadContext ctx = RadContext.exact();
    ctx.begin();
    double[] values = {1.5, -2, 0, Double.MIN_VALUE};
    for (double v : values) {
      ctx.pushAdjoint(v);
    }
    double[] popped = new double[values.length];
    for (int i = values.length - 1; i >= 0; i--) {
      popped[i] = ctx.popAdjoint();
    }
    assertArrayEquals(values, popped);
    ctx.end();
  }

  private static Object field(Object target, String name) throws Exception {
    Field f = target.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(target);
  }
}
