package org.rad.runtime;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.Collections;

/**
 * The state one gradient call works with: the tapes that the forward sweep records onto and the
 * reverse sweep pops from, the adjoint ("shadow") arrays of the arrays the code works on, and the
 * memory the reverse sweep held.
 *
 * <p>A context is reused across calls (its tapes keep their chunks), but it is not thread-safe and
 * not reentrant: one gradient call at a time. Generated code calls the methods below; users
 * create contexts with {@link #exact()} or {@link #seeded(long)} and read {@link
 * #peakTapeBytes()} after a call.
 */
public final class RadContext {
  private static final ThreadLocal<RadContext> THREAD_DEFAULT = ThreadLocal.withInitial(RadContext::exact);

  private final boolean exact;
  private final long seed;

  private final DoubleTape doubles = new DoubleTape();
  private final IntTape ints = new IntTape();
  private final BitTape bits = new BitTape();
  private final RefTape refs = new RefTape();
  /** Adjoints of scalar arguments handed from a callee's reverse sweep back to its caller. */
  private final DoubleTape adjoints = new DoubleTape();
  private final Map<Object, Object> shadows = new IdentityHashMap<>();

  private boolean active;
  private long peakTapeBytes;

  private RadContext(boolean exact, long seed) {
    this.exact = exact;
    this.seed = seed;
  }

  /** A context whose generated code records every value exactly: the exact gradient. */
  public static RadContext exact() {
    return new RadContext(true, 0L);
  }

  /**
   * A context that samples the records of {@code @Randomize} values reproducibly from {@code seed};
   * records of other values stay exact.
   */
  public static RadContext seeded(long seed) {
    return new RadContext(false, seed);
  }

  /** The exact context of the calling thread, used by the generated overloads without a context. */
  public static RadContext threadDefault() {
    return THREAD_DEFAULT.get();
  }

  /** Whether this context records exactly (sampling off). */
  public boolean isExact() {
    return exact;
  }

  /** The seed of a {@link #seeded(long)} context; 0 for an exact one. */
  public long seed() {
    return seed;
  }

  /**
   * The largest number of bytes the reverse sweep held during the last call: everything on the
   * tapes, plus primal arrays that are reachable only from the tapes (kept alive only for the
   * reverse sweep), counted once each.
   */
  public long peakTapeBytes() {
    return peakTapeBytes;
  }

  // ---- called by generated code --------------------------------------------------------------

  /** Starts a gradient call: empties the tapes and forgets the shadows of the last call. */
  public void begin() {
    if (active) {
      throw new IllegalStateException(
          "this RadContext is already in use by a gradient call; give each concurrent or nested call its own context");
    }
    active = true;
    clear();
    peakTapeBytes = 0;
  }

  /**
   * Marks the end of the forward sweep, where the tapes are fullest, and measures what they hold.
   * {@code arguments} are the caller's arrays, which are alive anyway and so are not counted
   * (nor are the rows of argument matrices). Pass a lone matrix as {@code endForward((Object) m)}:
   * a {@code double[][]} is itself an {@code Object[]} and would otherwise be taken as the list of
   * arguments.
   */
  public void endForward(Object... arguments) {
    Set<Object> counted = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object argument : arguments) {
      if (argument != null) {
        counted.add(argument);
        if (argument instanceof double[][] m) {
          for (double[] row : m) {
            if (row != null) {
              counted.add(row);
            }
          }
        }
      }
    }
    long[] arrayBytes = {0};
    refs.forEach(ref -> {
      if (ref != null && counted.add(ref)) {
        arrayBytes[0] += arrayBytes(ref, counted);
      }
    });
    long held = doubles.bytes() + ints.bytes() + bits.bytes() + refs.bytes() + arrayBytes[0];
    peakTapeBytes = Math.max(peakTapeBytes, held);
  }

  /** Ends a gradient call; the tapes must be empty again. */
  public void end() {
    active = false;
    shadows.clear();
  }

  /** Ends a gradient call that failed with an exception: leaves the context reusable. */
  public void abort() {
    active = false;
    clear();
  }

  private void clear() {
    doubles.clear();
    ints.clear();
    bits.clear();
    refs.clear();
    adjoints.clear();
    shadows.clear();
  }

  /** Bytes of {@code array}; rows of a matrix count only if not in {@code counted} yet. */
  private static long arrayBytes(Object array, Set<Object> counted) {
    if (array instanceof double[] a) {
      return 16L + 8L * a.length;
    }
    if (array instanceof int[] a) {
      return 16L + 4L * a.length;
    }
    if (array instanceof double[][] m) {
      long bytes = 16L + 8L * m.length;
      for (double[] row : m) {
        if (row != null && counted.add(row)) {
          bytes += 16L + 8L * row.length;
        }
      }
      return bytes;
    }
    return 0;
  }

  public void pushDouble(double v) {
    doubles.push(v);
  }

  public double popDouble() {
    return doubles.pop();
  }

  public void pushInt(int v) {
    ints.push(v);
  }

  public int popInt() {
    return ints.pop();
  }

  public void pushLong(long v) {
    ints.push((int) (v >>> 32));
    ints.push((int) v);
  }

  public long popLong() {
    long low = ints.pop() & 0xffffffffL;
    long high = ints.pop();
    return (high << 32) | low;
  }

  public void pushBit(boolean bit) {
    bits.push(bit);
  }

  public boolean popBit() {
    return bits.pop();
  }

  public void pushRef(Object array) {
    refs.push(array);
  }

  @SuppressWarnings("unchecked")
  public <T> T popRef() {
    return (T) refs.pop();
  }

  /** Hands the adjoint of a scalar argument from a callee's reverse sweep to its caller. */
  public void pushAdjoint(double adjoint) {
    adjoints.push(adjoint);
  }

  public double popAdjoint() {
    return adjoints.pop();
  }

  /** The adjoint array of {@code array}, created as zeros on first use; null for null. */
  public double[] shadow(double[] array) {
    if (array == null) {
      return null;
    }
    return (double[]) shadows.computeIfAbsent(array, a -> new double[array.length]);
  }

  /** The adjoint array of a matrix, created as zeros of the same (possibly ragged) shape. */
  public double[][] shadow(double[][] array) {
    if (array == null) {
      return null;
    }
    return (double[][]) shadows.computeIfAbsent(array, a -> Shadows.zerosLike(array));
  }

  /** Declares {@code bar} the adjoint of {@code array} (an argument's adjoint passed in). */
  public void bindShadow(Object array, Object bar) {
    if (array != null && bar != null) {
      shadows.put(array, bar);
    }
  }

  /** Forgets the adjoint of an array at the reverse of its allocation, so it can be collected. */
  public void dropShadow(Object array) {
    if (array != null) {
      shadows.remove(array);
    }
  }
}
