package org.rad.runtime;

/**
 * A LIFO stack of bits: branch decisions and boolean flags cost one bit each, packed 64 to a word.
 */
public final class BitTape {
  private long[] words = new long[64];
  private long size;

  BitTape() {}

  /** Records one decision. */
  public void push(boolean bit) {
    int word = (int) (size >>> 6);
    if (word == words.length) {
      words = java.util.Arrays.copyOf(words, words.length * 2);
    }
    // branch-free: a branch decision recorded as data (the sign of a cell's flux) is as often
    // true as false, and a mispredicted branch here costs more than the arithmetic
    long mask = 1L << (size & 63);
    long set = -(long) (bit ? 1 : 0) & mask;
    words[word] = (words[word] & ~mask) | set;
    size++;
  }

  /** Removes and returns the decision recorded last. */
  public boolean pop() {
    if (size == 0) {
      throw new IllegalStateException("bit tape underflow: the reverse sweep popped more than was recorded");
    }
    size--;
    return (words[(int) (size >>> 6)] & (1L << (size & 63))) != 0;
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
