package org.rad.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A LIFO stack of object references (array locals overwritten by reference assignments) stored in fixed-size chunks, so pushing never copies what is
 * already recorded. Chunks are kept when the tape empties, so a context reused across calls does
 * not allocate again.
 */
public final class RefTape {
  static final int CHUNK = 1 << 12;
  /** Bytes counted per reference held (a 64-bit pointer; compressed oops would be 4). */
  static final int REF_BYTES = 8;

  private final List<Object[]> chunks = new ArrayList<>();
  private Object[] current;
  private int chunkIndex;
  private int pos;

  RefTape() {
    current = new Object[CHUNK];
    chunks.add(current);
  }

  /** Records {@code v}. */
  public void push(Object v) {
    if (pos == CHUNK) {
      nextChunk();
    }
    current[pos++] = v;
  }

  /** Removes and returns the value recorded last. */
  public Object pop() {
    if (pos == 0) {
      previousChunk();
    }
    Object v = current[--pos];
    current[pos] = null; // a popped reference must not keep its array alive
    return v;
  }

  private void nextChunk() {
    chunkIndex++;
    if (chunkIndex == chunks.size()) {
      chunks.add(new Object[CHUNK]);
    }
    current = chunks.get(chunkIndex);
    pos = 0;
  }

  private void previousChunk() {
    if (chunkIndex == 0) {
      throw new IllegalStateException("reference tape underflow: the reverse sweep popped more than was recorded");
    }
    chunkIndex--;
    current = chunks.get(chunkIndex);
    pos = CHUNK;
  }

  /** Number of values held. */
  public long size() {
    return (long) chunkIndex * CHUNK + pos;
  }

  /** Bytes of the values held (8 per reference). */
  public long bytes() {
    return size() * REF_BYTES;
  }

  /** The first chunk: the references held, oldest first, while {@link #size()} is at most {@link #CHUNK}. */
  Object[] firstChunk() {
    return chunks.get(0);
  }

  /** Calls {@code action} on every reference held, oldest first. */
  void forEach(java.util.function.Consumer<Object> action) {
    for (int c = 0; c <= chunkIndex; c++) {
      Object[] chunk = chunks.get(c);
      int end = c == chunkIndex ? pos : CHUNK;
      for (int i = 0; i < end; i++) {
        action.accept(chunk[i]);
      }
    }
  }

  /**
   * Empties the tape. Only the slots in use are cleared: popping already nulls what it takes, so
   * after a complete call there is nothing to clear, and a call costs nothing here in proportion
   * to the chunk size (a small function's gradient called in a loop would otherwise pay for
   * 4,096 slots every time).
   */
  void clear() {
    if (chunkIndex == 0 && pos == 0) {
      return;
    }
    for (int c = 0; c < chunkIndex; c++) {
      java.util.Arrays.fill(chunks.get(c), null);
    }
    java.util.Arrays.fill(current, 0, pos, null);
    chunkIndex = 0;
    current = chunks.get(0);
    pos = 0;
  }
}
