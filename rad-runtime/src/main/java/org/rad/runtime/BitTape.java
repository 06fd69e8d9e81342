package org.rad.runtime;

/**
 * A LIFO stack of bits: branch decisions and boolean flags cost one bit each, packed 64 to a word.
 *
 * <p>The word being filled (or emptied) is held in a field, not in the array: a push or pop then
 * touches the array once per 64 bits, and consecutive pushes do not wait on each other through
 * memory (a read-modify-write of the same array word per bit made each push wait for the last
 * one's store). Invariant: {@code words[0 .. size / 64)} hold the complete words; the bits of the
 * word in progress, {@code size / 64}, are the low {@code size % 64} bits of {@link #current}
 * (its higher bits are stale and never read).
 */
public final class BitTape {
  private long[] words = new long[64];
  private long size;
  private long current;

  BitTape() {}

  /** Records one decision. */
  public void push(boolean bit) {
    // branch-free: a branch decision recorded as data (the sign of a cell's flux) is as often
    // true as false, and a mispredicted branch here costs more than the arithmetic
    long mask = 1L << (size & 63);
    current = (current & ~mask) | (-(long) (bit ? 1 : 0) & mask);
    size++;
    if ((size & 63) == 0) {
      completeWord();
    }
  }

  /** Stores the word just filled (once per 64 pushes). */
  private void completeWord() {
    int word = (int) ((size >>> 6) - 1);
    if (word == words.length) {
      words = java.util.Arrays.copyOf(words, words.length * 2);
    }
    words[word] = current;
  }

  /** Removes and returns the decision recorded last. */
  public boolean pop() {
    if ((size & 63) == 0) {
      if (size == 0) {
        throw new IllegalStateException("bit tape underflow: the reverse sweep popped more than was recorded");
      }
      current = words[(int) ((size >>> 6) - 1)]; // the last complete word becomes the one in progress
    }
    size--;
    return (current & (1L << (size & 63))) != 0;
  }

  /** Number of bits held. */
  public long size() {
    return size;
  }

  /** Bytes of the bits held, rounded up. */
  public long bytes() {
    return (size + 7) / 8;
  }

  void clear() {
    size = 0;
  }
}
