package org.rad.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A LIFO stack of primitive ints stored in fixed-size chunks, so pushing never copies what is
 * already recorded. Chunks are kept when the tape empties, so a context reused across calls does
 * not allocate again.
 */
public final class IntTape {
  static final int CHUNK = 1 << 15;

  private final List<int[]> chunks = new ArrayList<>();
  private int[] current;
  private int chunkIndex;
  private int pos;

  IntTape() {
    current = new int[CHUNK];
    chunks.add(current);
  }

  /** Records {@code v}. */
  public void push(int v) {
    if (pos == CHUNK) {
      nextChunk();
    }
    current[pos++] = v;
  }

  /** Removes and returns the value recorded last. */
  public int pop() {
    if (pos == 0) {
      previousChunk();
    }
    return current[--pos];
  }

  private void nextChunk() {
    chunkIndex++;
    if (chunkIndex == chunks.size()) {
      chunks.add(new int[CHUNK]);
    }
    current = chunks.get(chunkIndex);
    pos = 0;
  }

  private void previousChunk() {
    if (chunkIndex == 0) {
      throw new IllegalStateException("int tape underflow: the reverse sweep popped more than was recorded");
    }
    chunkIndex--;
    current = chunks.get(chunkIndex);
    pos = CHUNK;
  }

  /** Number of values held. */
  public long size() {
    return (long) chunkIndex * CHUNK + pos;
  }

  /** Bytes of the values held (4 per value). */
  public long bytes() {
    return size() * Integer.BYTES;
  }

  /**
   * Empties the tape, keeping its chunks. A tape the reverse sweep popped empty is in its first
   * chunk already: then only the position is reset (a small function's gradient, called once per
   * data point, pays nothing more here).
   */
  void clear() {
    if (chunkIndex != 0) {
      chunkIndex = 0;
      current = chunks.get(0);
    }
    pos = 0;
  }
}
