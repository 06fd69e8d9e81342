package org.rad.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * A LIFO stack of primitive doubles stored in fixed-size chunks, so pushing never copies what is
 * already recorded. Chunks are kept when the tape empties, so a context reused across calls does
 * not allocate again.
 */
public final class DoubleTape {
  static final int CHUNK = 1 << 15;

  private final List<double[]> chunks = new ArrayList<>();
  /** The chunk being filled, and the number of values in it. */
  private double[] current;
  private int chunkIndex;
  private int pos;

  DoubleTape() {
    current = new double[CHUNK];
    chunks.add(current);
  }

  /** Records {@code v}. */
  public void push(double v) {
    if (pos == CHUNK) {
      nextChunk();
    }
    current[pos++] = v;
  }

  /** Removes and returns the value recorded last. */
  public double pop() {
    if (pos == 0) {
      previousChunk();
    }
    return current[--pos];
  }

  /**
   * Records {@code values[from]}, ..., {@code values[to - 1]} in that order, as that many {@link
   * #push} calls would, copying chunk-wise.
   */
  public void pushAll(double[] values, int from, int to) {
    while (from < to) {
      if (pos == CHUNK) {
        nextChunk();
      }
      int n = Math.min(to - from, CHUNK - pos);
      System.arraycopy(values, from, current, pos, n);
      pos += n;
      from += n;
    }
  }

  /**
   * Removes the last {@code to - from} values into {@code into[from]}, ..., {@code into[to - 1]} in
   * the order they were recorded: the inverse of {@link #pushAll} of the same range.
   *
   * <p>A short range it copies from the last value down, so that a reverse sweep popping rows one
   * after another reads the tape at ever lower addresses: a stream the hardware prefetcher
   * follows. With {@code System.arraycopy} each row was read upwards and the next one below it, a
   * saw-tooth the prefetcher does not follow: on a tape larger than the cache, every row waited for
   * memory (the reactor's reverse sweep, popping 31 doubles per row, spent more time in those
   * copies than its primal takes in all). A long range is one stream either way, and {@code
   * System.arraycopy} copies it faster, as it does a very short one.
   */
  public void popAll(double[] into, int from, int to) {
    while (from < to) {
      if (pos == 0) {
        previousChunk();
      }
      double[] chunk = current;
      int p = pos;
      int stop = Math.max(from, to - p);
      int n = to - stop;
      if (n < MIN_DOWNWARD || n > MAX_DOWNWARD) {
        p -= n;
        System.arraycopy(chunk, p, into, stop, n);
      } else {
        for (int k = to - 1; k >= stop; k--) {
          into[k] = chunk[--p];
        }
      }
      pos = p;
      to = stop;
    }
  }

  /**
   * The ranges {@link #popAll} copies value by value, the last first: from two cache lines to 1 kB.
   * A shorter one is not worth a loop (GMM pops 10 values at a time: its gradient took 6.7 ms
   * copying them by a loop, 6.1 ms by {@code System.arraycopy}).
   */
  static final int MIN_DOWNWARD = 16;
  static final int MAX_DOWNWARD = 128;

  private void nextChunk() {
    chunkIndex++;
    if (chunkIndex == chunks.size()) {
      chunks.add(new double[CHUNK]);
    }
    current = chunks.get(chunkIndex);
    pos = 0;
  }

  private void previousChunk() {
    if (chunkIndex == 0) {
      throw new IllegalStateException("double tape underflow: the reverse sweep popped more than was recorded");
    }
    chunkIndex--;
    current = chunks.get(chunkIndex);
    pos = CHUNK;
  }

  /** Number of values held. */
  public long size() {
    return (long) chunkIndex * CHUNK + pos;
  }

  /** Bytes of the values held (8 per value). */
  public long bytes() {
    return size() * Double.BYTES;
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
