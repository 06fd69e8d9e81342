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
    long mask = 1L << (size & 63);
    if (bit) {
      words[word] |= mask;
    } else {
      words[word] &= ~mask;
    }
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
