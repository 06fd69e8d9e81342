package org.rad.runtime;

import org.ejml.data.DMatrixRMaj;
import org.rad.annotations.Sampling;

/**
 * The state one gradient call works with: the tapes that the forward sweep records onto and the
 * reverse sweep pops from, the adjoint ("shadow") arrays of the arrays the code works on, and the
 * memory the reverse sweep held.
 *
 * <p>A context is reused across calls (its tapes keep their chunks), but it is not thread-safe and
 * not reentrant: one gradient call at a time. Generated code calls the methods below; users
 * create contexts with {@link #exact()} or {@link #seeded(long)} and read {@link
 * #peakTapeBytes()} after a call.
 *
 * <p><b>Sampled records.</b> Records of {@code @Randomize} values go through {@link
 * #pushSampled}/{@link #popSampled} (one value) and {@link #recordArray}/{@link #restoreArray}
 * (a whole array, {@link #recordRows}/{@link #restoreRows} for a matrix). In an exact context they
 * record exactly; in a seeded one they keep an unbiased random sample, decided by {@link
 * CounterRng} from {@code (sampleSeed(), site, key)}, so the reverse sweep regenerates the
 * decisions instead of storing them and only kept values occupy the tapes (and {@link
 * #peakTapeBytes()}). The {@code site} numbers the record in the generated code; the {@code key}
 * folds the indices of the enclosing loops ({@link CounterRng#key(long)} and overloads), leaving
 * out the loops whose iterations share one sample. Reverse-sweep calls must mirror forward-sweep
 * calls in LIFO order, with the same site, sampling, fraction and key; they interleave freely with
 * the plain records.
 */
public final class RadContext {
  private static final ThreadLocal<RadContext> THREAD_DEFAULT = ThreadLocal.withInitial(RadContext::exact);

  private final boolean exact;
  /**
   * The biased estimator of the paper's public reactor code, for comparison only: kept values are
   * stored without the 1/f scaling, and every call reuses one sample pattern.
   */
  private boolean unscaledFixedPattern;
  /** When positive, replaces the fraction of every {@code @Randomize} record site. */
  private double fractionOverride;
  private final long seed;

  private final DoubleTape doubles = new DoubleTape();
  private final IntTape ints = new IntTape();
  private final BitTape bits = new BitTape();
  private final RefTape refs = new RefTape();
  /**
   * References to arrays that nothing else reaches ({@link #pushFreshRef}), with the bytes of
   * those arrays, counted as they come: {@link #endForward} need not tell them apart by identity.
   */
  private final RefTape freshRefs = new RefTape();
  private long freshBytes;
  /** Adjoints of scalar arguments handed from a callee's reverse sweep back to its caller. */
  private final DoubleTape adjoints = new DoubleTape();
  /** Values a recomputation in a reverse sweep keeps for the callee's reverse that follows it. */
  private final DoubleTape kept = new DoubleTape();
  private final IdentityTable shadows = new IdentityTable();
  /** Arrays already counted by {@link #endForward}'s measure of what the tapes hold (reused). */
  private final IdentityTable countedArrays = new IdentityTable();

  private boolean active;
  private long peakTapeBytes;
  /** Gradient calls begun on this context; the next one is call number {@code calls}. */
  private long calls;
  private long sampleSeed;

  private RadContext(boolean exact, long seed) {
    this.exact = exact;
    this.seed = seed;
    this.sampleSeed = exact ? 0L : CounterRng.streamSeed(seed, 0);
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
  /**
   * Replaces the fraction of every {@code @Randomize} record site with {@code fraction}, so one
   * compiled method can be run at several sampling fractions (the reactor experiment sweeps
   * 0.1 ... 0.001). Returns this context.
   *
   * @throws IllegalArgumentException if {@code fraction} is not in {@code (0, 1]}
   */
  /**
   * A seeded context that reproduces the estimator of the paper's public reactor code, which is
   * biased: element records keep their sampled values without scaling by 1/f, and every call
   * draws the same sample pattern. Only for measuring that bias against the unbiased estimator.
   */
  public static RadContext unscaledFixedPattern(long seed) {
    RadContext ctx = new RadContext(false, seed);
    ctx.unscaledFixedPattern = true;
    return ctx;
  }

  public RadContext withFraction(double fraction) {
    checkFraction(fraction);
    this.fractionOverride = fraction;
    return this;
  }

  /** The fraction records use: the override of {@link #withFraction}, else the annotated one. */
  private double effective(double annotated) {
    checkFraction(annotated);
    return fractionOverride > 0 ? fractionOverride : annotated;
  }

  /**
   * The fraction that records of a site annotated with {@code annotated} use in this context (the
   * override of {@link #withFraction}, else {@code annotated}): what a GPU kernel of the CUDA path
   * decides its samples with.
   */
  public double fractionFor(double annotated) {
    return effective(annotated);
  }

  /**
   * Whether kept sampled values are stored as {@code v / f} (true, the unbiased estimator) or as
   * {@code v} ({@link #unscaledFixedPattern}).
   */
  public boolean scalesSamples() {
    return !unscaledFixedPattern;
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
   * The seed that the sample decisions of the current (or last) gradient call are drawn from:
   * {@code CounterRng.streamSeed(seed(), c)} for the call that {@link #begin()} numbered {@code c}
   * (from 0; before the first call, that of call 0); 0 for an exact context. Each gradient call on
   * one seeded context draws fresh samples; the sequence is reproducible from the seed.
   */
  public long sampleSeed() {
    return sampleSeed;
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

  /**
   * Starts a gradient call: empties the tapes and forgets the shadows of the last call. A seeded
   * context moves on to the sample seed of the next call ({@link #sampleSeed()}).
   */
  public void begin() {
    if (active) {
      throw new IllegalStateException(
          "this RadContext is already in use by a gradient call; give each concurrent or nested call its own context");
    }
    active = true;
    if (!exact) {
      sampleSeed = CounterRng.streamSeed(seed, unscaledFixedPattern ? 0 : calls++);
      memoBaseValid = false;
    }
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
    if (active && !inReverse) {
      inReverse = true;
      reverseFlagOfThisThread()[0] = true;
    }
    long tapes = doubles.bytes() + ints.bytes() + bits.bytes() + refs.bytes() + freshRefs.bytes() + freshBytes;
    if (refs.size() == 0) {
      // no array is held by the tapes: nothing to tell apart from the caller's arrays
      peakTapeBytes = Math.max(peakTapeBytes, tapes);
      return;
    }
    long small = heldArrayBytesSmall(arguments);
    if (small >= 0) {
      peakTapeBytes = Math.max(peakTapeBytes, tapes + small);
      return;
    }
    IdentityTable counted = countedArrays;
    counted.clear();
    for (Object argument : arguments) {
      countAlive(argument, counted);
    }
    long[] arrayBytes = {0};
    refs.forEach(ref -> {
      if (ref != null && counted.add(ref, Boolean.TRUE)) {
        arrayBytes[0] += arrayBytes(ref, counted);
      }
    });
    counted.clear();
    long held = tapes + arrayBytes[0];
    peakTapeBytes = Math.max(peakTapeBytes, held);
  }

  /** Up to this many references on the tape, {@link #endForward} counts them by direct comparison. */
  private static final int SMALL_REFS = 24;

  /**
   * The bytes of the arrays a short reference tape holds that are not among {@code arguments},
   * each counted once, found by comparing references pairwise; -1 where the tape is longer than
   * {@link #SMALL_REFS} or holds or is given a matrix (whose rows need the table). A small
   * function's gradient, called once per residual, pays a few dozen comparisons here instead of
   * filling and clearing an identity table, whose reference stores into this long-lived context
   * cost a garbage-collector write barrier each.
   */
  private long heldArrayBytesSmall(Object[] arguments) {
    long n = refs.size();
    if (n > SMALL_REFS) {
      return -1;
    }
    for (Object argument : arguments) {
      if (argument instanceof Object[]) {
        return -1;
      }
    }
    Object[] held = refs.firstChunk();
    long bytes = 0;
    for (int i = 0; i < n; i++) {
      Object ref = held[i];
      if (ref == null) {
        continue;
      }
      if (ref instanceof Object[]) {
        return -1;
      }
      if (isAmong(ref, arguments, arguments.length) || isAmong(ref, held, i)) {
        continue;
      }
      bytes += arrayBytes(ref, null);
    }
    return bytes;
  }

  private static boolean isAmong(Object ref, Object[] objects, int count) {
    for (int j = 0; j < count; j++) {
      if (objects[j] == ref) {
        return true;
      }
    }
    return false;
  }

  /** Ends a gradient call; the tapes must be empty again. */
  public void end() {
    active = false;
    clearShadows();
    leaveReverseSweep();
  }

  /** Forgets the shadows (a table that grew to a hash table is walked only when not empty). */
  private void clearShadows() {
    if (!shadows.isEmpty()) {
      shadows.clear();
    }
  }

  /** Ends a gradient call that failed with an exception: leaves the context reusable. */
  public void abort() {
    active = false;
    clear();
    leaveReverseSweep();
  }

  /** Whether this thread runs a reverse sweep, per thread: set by {@link #endForward}. */
  private static final ThreadLocal<boolean[]> REVERSE_SWEEP = ThreadLocal.withInitial(() -> new boolean[1]);
  /** Whether this context set {@link #REVERSE_SWEEP} (and so clears it). */
  private boolean inReverse;
  /**
   * The thread whose {@link #REVERSE_SWEEP} flag {@link #reverseFlag} is: a context serves one
   * thread at a time, usually the same one for every call, so the thread-local lookup is paid once
   * per thread instead of twice per gradient call (a small function's gradient, called once per
   * data point, spent a few percent of its time there). A context keeps the last thread that used
   * it reachable (the thread object only: a finished thread's thread-locals are cleared).
   */
  private Thread reverseFlagOwner;
  private boolean[] reverseFlag;

  private boolean[] reverseFlagOfThisThread() {
    Thread thread = Thread.currentThread();
    if (thread != reverseFlagOwner) {
      reverseFlag = REVERSE_SWEEP.get();
      reverseFlagOwner = thread;
    }
    return reverseFlag;
  }

  /**
   * Whether this thread is in the reverse sweep of a gradient call (between {@link #endForward}
   * and {@link #end}). Statements the processor keeps as they are ({@code System.out.println})
   * run in the forward sweep and in primal copies of methods; a primal copy that the reverse sweep
   * runs to recompute values skips them, so that their output appears once per gradient call.
   */
  public static boolean inReverseSweep() {
    return REVERSE_SWEEP.get()[0];
  }

  private void leaveReverseSweep() {
    if (inReverse) {
      inReverse = false;
      reverseFlag[0] = false; // the flag endForward set, of the thread that ran it
    }
  }

  private void clear() {
    doubles.clear();
    ints.clear();
    bits.clear();
    refs.clear();
    freshRefs.clear();
    freshBytes = 0;
    adjoints.clear();
    kept.clear();
    clearShadows();
  }

  /** Marks {@code array} and, for a nested array, every row and slice in it as counted. */
  private static void countAlive(Object array, IdentityTable counted) {
    if (array == null) {
      return;
    }
    counted.add(array, Boolean.TRUE);
    if (array instanceof Object[] nested) {
      for (Object inner : nested) {
        countAlive(inner, counted);
      }
    }
  }

  /**
   * Bytes of {@code array}; rows of a matrix (slices of a {@code double[][][]} and their rows)
   * count only if not in {@code counted} yet.
   */
  private static long arrayBytes(Object array, IdentityTable counted) {
    if (array instanceof double[] a) {
      return 16L + 8L * a.length;
    }
    if (array instanceof int[] a) {
      return 16L + 4L * a.length;
    }
    if (array instanceof double[][] || array instanceof double[][][]) {
      Object[] nested = (Object[]) array;
      long bytes = 16L + 8L * nested.length;
      for (Object inner : nested) {
        if (inner != null && counted.add(inner, Boolean.TRUE)) {
          bytes += arrayBytes(inner, counted);
        }
      }
      return bytes;
    }
    return 0;
  }

  /** Records a double for the reverse sweep. */
  public void pushDouble(double v) {
    doubles.push(v);
  }

  /** Removes and returns the double recorded last. */
  public double popDouble() {
    return doubles.pop();
  }

  /** Records an int (a loop count, an index) for the reverse sweep. */
  public void pushInt(int v) {
    ints.push(v);
  }

  /** Removes and returns the int recorded last. */
  public int popInt() {
    return ints.pop();
  }

  /** Records a long as two ints on the int tape. */
  public void pushLong(long v) {
    ints.push((int) (v >>> 32));
    ints.push((int) v);
  }

  /** Removes and returns the long recorded last. */
  public long popLong() {
    long low = ints.pop() & 0xffffffffL;
    long high = ints.pop();
    return (high << 32) | low;
  }

  /** Records a branch decision or boolean, one bit. */
  public void pushBit(boolean bit) {
    bits.push(bit);
  }

  /** Removes and returns the bit recorded last. */
  public boolean popBit() {
    return bits.pop();
  }

  /** Records a reference to an array (or null), keeping the array alive for the reverse sweep. */
  public void pushRef(Object array) {
    refs.push(array);
  }

  /**
   * Records a reference to a {@code double[]} (or null) that nothing but the tape will reach until
   * {@link #popFreshRef} gives it back: a new array a local let go of (the processor passes only
   * arrays it proves new and reached by that local alone, as the stages of a Runge-Kutta step
   * written with helpers that return new arrays). Its bytes count as held at once, without the
   * identity table {@link #endForward} needs for arrays that may also be reached otherwise, whose
   * cost grew with every such array.
   */
  public void pushFreshRef(double[] array) {
    freshRefs.push(array);
    freshBytes += arrayBytes(array, null);
  }

  /** Removes and returns the array {@link #pushFreshRef} recorded last. */
  public double[] popFreshRef() {
    double[] array = (double[]) freshRefs.pop();
    freshBytes -= arrayBytes(array, null);
    return array;
  }

  /**
   * Records only the length of a new array that only the local being overwritten reached ({@code
   * -1} for null), where the reverse sweep needs nothing of that array but an adjoint of its size:
   * the stages of a Runge-Kutta step that are combined linearly, whose values no derivative reads.
   * {@link #popFreshAdjoint} gives back that adjoint, all zeros. (The array itself may then be
   * collected at once; {@link #pushFreshRef} would hold it, 16 bytes and more per value, to the
   * end of the reverse sweep.)
   */
  public void pushFreshLength(double[] array) {
    ints.push(array == null ? -1 : array.length);
  }

  /** A new zero adjoint of the length {@link #pushFreshLength} recorded last, or null for a null array. */
  public double[] popFreshAdjoint() {
    int length = ints.pop();
    return length < 0 ? null : new double[length];
  }

  /** Removes and returns the reference recorded last, cast to the type the caller expects. */
  @SuppressWarnings("unchecked")
  public <T> T popRef() {
    return (T) refs.pop();
  }

  // ---- sampled records (@Randomize) ----------------------------------------------------------

  // The forms below take the loop indices instead of a key: an exact context never computes the
  // key, so a @Randomize site costs an exact run nothing beyond a plain record.

  /** {@link #pushSampled}: element 0 of row 0 of the record keyed {@code CounterRng.key()}. */
  public void pushSampledAt(int site, double fraction, double value) {
    if (exact) {
      pushExact(fraction, value);
    } else {
      pushSampled(site, fraction, value, CounterRng.key(), 0, 0);
    }
  }

  /** {@link #pushSampled}: element {@code i} of row 0 of the record keyed {@code CounterRng.key()}. */
  public void pushSampledAt(int site, double fraction, double value, long i) {
    if (exact) {
      pushExact(fraction, value);
    } else {
      pushSampled(site, fraction, value, CounterRng.key(), 0, i);
    }
  }

  /** {@link #pushSampled}: element {@code j} of row {@code i} of the record keyed {@code CounterRng.key()}. */
  public void pushSampledAt(int site, double fraction, double value, long i, long j) {
    if (exact) {
      pushExact(fraction, value);
    } else {
      pushSampled(site, fraction, value, CounterRng.key(), i, j);
    }
  }

  /** {@link #pushSampled}: element {@code k} of row {@code j} of the record keyed {@code CounterRng.key(i)}. */
  public void pushSampledAt(int site, double fraction, double value, long i, long j, long k) {
    if (exact) {
      pushExact(fraction, value);
    } else {
      pushSampled(site, fraction, value, key1(i), j, k);
    }
  }

  /**
   * {@link #pushSampled}: element {@code indices[n - 1]} of row {@code indices[n - 2]} of the record
   * keyed by the indices before them (0 for the element or row that has no index).
   */
  public void pushSampledAt(int site, double fraction, double value, long... indices) {
    if (exact) {
      pushExact(fraction, value);
    } else {
      pushSampled(site, fraction, value, recordKey(indices, 2), fromEnd(indices, 2), fromEnd(indices, 1));
    }
  }

  /** {@link #popSampled}: the reverse of the matching {@code pushSampledAt}. */
  public double popSampledAt(int site, double fraction) {
    return exact ? popExact(fraction) : popSampled(site, fraction, CounterRng.key(), 0, 0);
  }

  /** {@link #popSampled}: the reverse of the matching {@code pushSampledAt}. */
  public double popSampledAt(int site, double fraction, long i) {
    return exact ? popExact(fraction) : popSampled(site, fraction, CounterRng.key(), 0, i);
  }

  /** {@link #popSampled}: the reverse of the matching {@code pushSampledAt}. */
  public double popSampledAt(int site, double fraction, long i, long j) {
    return exact ? popExact(fraction) : popSampled(site, fraction, CounterRng.key(), i, j);
  }

  /** {@link #popSampled}: the reverse of the matching {@code pushSampledAt}. */
  public double popSampledAt(int site, double fraction, long i, long j, long k) {
    return exact ? popExact(fraction) : popSampled(site, fraction, key1(i), j, k);
  }

  /** {@link #popSampled}: the reverse of the matching {@code pushSampledAt}. */
  public double popSampledAt(int site, double fraction, long... indices) {
    return exact
        ? popExact(fraction)
        : popSampled(site, fraction, recordKey(indices, 2), fromEnd(indices, 2), fromEnd(indices, 1));
  }

  // ---- sampled records of a row slice ---------------------------------------------------------

  // What a counted loop's element records of a[from], ..., a[to - 1] amount to, taken in one call:
  // pushSampledRange(site, f, a, from, to, i, j) records exactly what
  //   for (int x = from; x < to; x++) pushSampledAt(site, f, a[x], i, j, x);
  // records (the same values, decisions and order on the tape), and popSampledRange(site, f, a,
  // from, to, i, j) restores what
  //   for (int x = to - 1; x >= from; x--) a[x] = popSampledAt(site, f, i, j, x);
  // restores. An exact context copies the slice in bulk; a seeded one walks the geometric skips of
  // row j of the record keyed key(i) a block of 64 elements at a time (CounterRng.keptLanes) and
  // touches only the kept elements: one hash per kept element plus one per block, where deciding
  // element by element would cost one or two per element.

  /** Records {@code a[from..to)} as element records {@code pushSampledAt(site, fraction, a[x], x)}. */
  public void pushSampledRange(int site, double fraction, double[] a, int from, int to) {
    pushSampledRangeShifted(site, fraction, a, 0, from, to);
  }

  /** Records {@code a[from..to)} as element records {@code pushSampledAt(site, fraction, a[x], i, x)}. */
  public void pushSampledRange(int site, double fraction, double[] a, int from, int to, long i) {
    pushSampledRangeShifted(site, fraction, a, 0, from, to, i);
  }

  /** Records {@code a[from..to)} as element records {@code pushSampledAt(site, fraction, a[x], i, j, x)}. */
  public void pushSampledRange(int site, double fraction, double[] a, int from, int to, long i, long j) {
    pushSampledRangeShifted(site, fraction, a, 0, from, to, i, j);
  }

  /** Records {@code a[from..to)} as element records {@code pushSampledAt(site, fraction, a[x], i, j, k, x)}. */
  public void pushSampledRange(int site, double fraction, double[] a, int from, int to, long i, long j, long k) {
    pushSampledRangeShifted(site, fraction, a, 0, from, to, i, j, k);
  }

  /** Records {@code a[from..to)} as element records {@code pushSampledAt(site, fraction, a[x], indices..., x)}. */
  public void pushSampledRange(int site, double fraction, double[] a, int from, int to, long... indices) {
    if (exact) {
      pushExactRange(fraction, a, from, to);
    } else {
      pushSampledRangeKeyed(site, fraction, a, 0, from, to, recordKey(indices, 1), fromEnd(indices, 1));
    }
  }

  /** The reverse of the matching {@link #pushSampledRange(int, double, double[], int, int)}. */
  public void popSampledRange(int site, double fraction, double[] a, int from, int to) {
    popSampledRangeShifted(site, fraction, a, 0, from, to);
  }

  /** The reverse of the matching {@link #pushSampledRange(int, double, double[], int, int, long)}. */
  public void popSampledRange(int site, double fraction, double[] a, int from, int to, long i) {
    popSampledRangeShifted(site, fraction, a, 0, from, to, i);
  }

  /** The reverse of the matching {@link #pushSampledRange(int, double, double[], int, int, long, long)}. */
  public void popSampledRange(int site, double fraction, double[] a, int from, int to, long i, long j) {
    popSampledRangeShifted(site, fraction, a, 0, from, to, i, j);
  }

  /** The reverse of the matching {@link #pushSampledRange(int, double, double[], int, int, long, long, long)}. */
  public void popSampledRange(int site, double fraction, double[] a, int from, int to, long i, long j, long k) {
    popSampledRangeShifted(site, fraction, a, 0, from, to, i, j, k);
  }

  /** The reverse of the matching {@link #pushSampledRange(int, double, double[], int, int, long...)}. */
  public void popSampledRange(int site, double fraction, double[] a, int from, int to, long... indices) {
    if (exact) {
      popExactRange(fraction, a, from, to);
    } else {
      popSampledRangeKeyed(site, fraction, a, 0, from, to, recordKey(indices, 1), fromEnd(indices, 1));
    }
  }

  // The same for a row of a flat array: pushSampledRangeShifted(site, f, a, shift, from, to, i, j)
  // records what
  //   for (int x = from; x < to; x++) pushSampledAt(site, f, a[shift + x], i, j, x);
  // records (next[i * (n + 1) + j] over j: the row of i at offset i * (n + 1), keyed by j).

  /** Records {@code a[shift + x]}, x in [from, to), as element records {@code pushSampledAt(site, fraction, a[shift + x], x)}. */
  public void pushSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to) {
    if (exact) {
      pushExactRange(fraction, a, shift + from, shift + to);
    } else {
      pushSampledRangeKeyed(site, fraction, a, shift, from, to, CounterRng.key(), 0);
    }
  }

  /** As above, keyed {@code (i, x)}. */
  public void pushSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to, long i) {
    if (exact) {
      pushExactRange(fraction, a, shift + from, shift + to);
    } else {
      pushSampledRangeKeyed(site, fraction, a, shift, from, to, CounterRng.key(), i);
    }
  }

  /** As above, keyed {@code (i, j, x)}. */
  public void pushSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to, long i, long j) {
    if (exact) {
      pushExactRange(fraction, a, shift + from, shift + to);
    } else {
      pushSampledRangeKeyed(site, fraction, a, shift, from, to, key1(i), j);
    }
  }

  /** As above, keyed {@code (i, j, k, x)}. */
  public void pushSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to, long i, long j,
      long k) {
    if (exact) {
      pushExactRange(fraction, a, shift + from, shift + to);
    } else {
      pushSampledRangeKeyed(site, fraction, a, shift, from, to, key2(i, j), k);
    }
  }

  /** The reverse of the matching {@code pushSampledRangeShifted}. */
  public void popSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to) {
    if (exact) {
      popExactRange(fraction, a, shift + from, shift + to);
    } else {
      popSampledRangeKeyed(site, fraction, a, shift, from, to, CounterRng.key(), 0);
    }
  }

  /** The reverse of the matching {@code pushSampledRangeShifted}. */
  public void popSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to, long i) {
    if (exact) {
      popExactRange(fraction, a, shift + from, shift + to);
    } else {
      popSampledRangeKeyed(site, fraction, a, shift, from, to, CounterRng.key(), i);
    }
  }

  /** The reverse of the matching {@code pushSampledRangeShifted}. */
  public void popSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to, long i, long j) {
    if (exact) {
      popExactRange(fraction, a, shift + from, shift + to);
    } else {
      popSampledRangeKeyed(site, fraction, a, shift, from, to, key1(i), j);
    }
  }

  /** The reverse of the matching {@code pushSampledRangeShifted}. */
  public void popSampledRangeShifted(int site, double fraction, double[] a, int shift, int from, int to, long i, long j,
      long k) {
    if (exact) {
      popExactRange(fraction, a, shift + from, shift + to);
    } else {
      popSampledRangeKeyed(site, fraction, a, shift, from, to, key2(i, j), k);
    }
  }

  // Rows of a matrix as one record: pushSampledRows(site, f, m, shift, rowFrom, rowTo, from, to, i)
  // records exactly what
  //   for (int r = rowFrom; r < rowTo; r++) pushSampledRange(site, f, m[shift + r], from, to, i, r);
  // records (likewise with no outer index, or several), so the reverse sweep restores the rows one
  // by one with popSampledRange. A seeded context draws the rows' first decisions together, with no
  // branch on each row's outcome (BernoulliSampler.pushRows); row by row, that outcome was a branch
  // that went either way at random. The generated code takes a loop of row records this way when the
  // loop does nothing else (RecordFission).

  /** Records rows {@code m[shift + r]}, r in [rowFrom, rowTo), as {@code pushSampledRange(site, fraction, m[shift + r], from, to, r)}. */
  public void pushSampledRows(int site, double fraction, double[][] m, int shift, int rowFrom, int rowTo, int from,
      int to) {
    pushRowRanges(site, fraction, m, null, 0, shift, rowFrom, rowTo, from, to, CounterRng.key());
  }

  /** As above, each row as {@code pushSampledRange(site, fraction, m[shift + r], from, to, i, r)}. */
  public void pushSampledRows(int site, double fraction, double[][] m, int shift, int rowFrom, int rowTo, int from,
      int to, long i) {
    pushRowRanges(site, fraction, m, null, 0, shift, rowFrom, rowTo, from, to, exact ? 0 : key1(i));
  }

  /** As above, each row as {@code pushSampledRange(site, fraction, m[shift + r], from, to, i, j, r)}. */
  public void pushSampledRows(int site, double fraction, double[][] m, int shift, int rowFrom, int rowTo, int from,
      int to, long i, long j) {
    pushRowRanges(site, fraction, m, null, 0, shift, rowFrom, rowTo, from, to, exact ? 0 : key2(i, j));
  }

  /** As above, each row as {@code pushSampledRange(site, fraction, m[shift + r], from, to, i, j, k, r)}. */
  public void pushSampledRows(int site, double fraction, double[][] m, int shift, int rowFrom, int rowTo, int from,
      int to, long i, long j, long k) {
    pushRowRanges(site, fraction, m, null, 0, shift, rowFrom, rowTo, from, to,
        exact ? 0 : CounterRng.extend(key2(i, j), k));
  }

  /** As above, each row as {@code pushSampledRange(site, fraction, m[shift + r], from, to, indices..., r)}. */
  public void pushSampledRows(int site, double fraction, double[][] m, int shift, int rowFrom, int rowTo, int from,
      int to, long... indices) {
    pushRowRanges(site, fraction, m, null, 0, shift, rowFrom, rowTo, from, to,
        exact ? 0 : CounterRng.prefixKey(indices, indices.length));
  }

  private final RowDraws rowDraws = new RowDraws();

  /**
   * The rows' records, keyed {@code key} (which an exact context does not read): row {@code r} is
   * {@code m[offset + r]} where {@code m} is not null, else the slice of {@code flat} at {@code r *
   * stride + offset}.
   */
  private void pushRowRanges(int site, double fraction, double[][] m, double[] flat, int stride, int offset,
      int rowFrom, int rowTo, int from, int to, long key) {
    if (rowFrom >= rowTo) {
      return;
    }
    double f = effective(fraction);
    // row by row: an exact copy, an empty range, or rows wider than one block
    boolean rowByRow = exact || f >= 1 || from >= to || to > CounterRng.BLOCK;
    for (int r = rowFrom; r < rowTo; r++) {
      double[] a = m != null ? m[offset + r] : flat;
      int shift = m != null ? 0 : r * stride + offset;
      if (!rowByRow) {
        checkRange(a, shift + from, shift + to); // a row the loop would fail at fails the call, with nothing recorded
      } else if (exact) {
        pushExactRange(fraction, a, shift + from, shift + to);
      } else {
        pushSampledRangeKeyed(site, fraction, a, shift, from, to, key, r);
      }
    }
    if (!rowByRow) {
      BernoulliSampler.pushRows(doubles, rowDraws, baseHash(site, key), skipTable(f), unscaledFixedPattern ? 1.0 : f, m,
          flat, stride, offset, rowFrom, rowTo, from, to);
    }
  }

  // The same for rows of a flat array: pushSampledStrided(site, f, a, stride, offset, rowFrom, rowTo,
  // from, to, i) records what
  //   for (int r = rowFrom; r < rowTo; r++) pushSampledRangeShifted(site, f, a, r * stride + offset, from, to, i, r);
  // records (rows of next[i * (n + 1) + j] over j).

  /** Records rows r in [rowFrom, rowTo) of a flat array, as {@code pushSampledRangeShifted(site, fraction, a, r * stride + offset, from, to, r)}. */
  public void pushSampledStrided(int site, double fraction, double[] a, int stride, int offset, int rowFrom, int rowTo,
      int from, int to) {
    pushRowRanges(site, fraction, null, a, stride, offset, rowFrom, rowTo, from, to, CounterRng.key());
  }

  /** As above, each row as {@code pushSampledRangeShifted(site, fraction, a, r * stride + offset, from, to, i, r)}. */
  public void pushSampledStrided(int site, double fraction, double[] a, int stride, int offset, int rowFrom, int rowTo,
      int from, int to, long i) {
    pushRowRanges(site, fraction, null, a, stride, offset, rowFrom, rowTo, from, to, exact ? 0 : key1(i));
  }

  /** As above, each row as {@code pushSampledRangeShifted(site, fraction, a, r * stride + offset, from, to, i, j, r)}. */
  public void pushSampledStrided(int site, double fraction, double[] a, int stride, int offset, int rowFrom, int rowTo,
      int from, int to, long i, long j) {
    pushRowRanges(site, fraction, null, a, stride, offset, rowFrom, rowTo, from, to, exact ? 0 : key2(i, j));
  }

  /** Records the doubles {@code a[from..to)}, as that many {@link #pushDouble} calls in increasing order would. */
  public void pushDoubles(double[] a, int from, int to) {
    checkRange(a, from, to);
    doubles.pushAll(a, from, to);
  }

  /** Restores {@code a[from..to)} from the tape: the reverse of {@link #pushDoubles} of the same range. */
  public void popDoubles(double[] a, int from, int to) {
    checkRange(a, from, to);
    doubles.popAll(a, from, to);
  }

  /**
   * Records every element of {@code array} (a {@code double[]}, {@code double[][]}, {@code
   * double[][][]}, {@code int[]} or {@code DMatrixRMaj}): the contents a call that runs as it is will overwrite, when the
   * reverse sweep reads them from before the call. {@link #popContents} puts them back.
   */
  public void pushContents(Object array) {
    if (array instanceof double[] a) {
      doubles.pushAll(a, 0, a.length);
    } else if (array instanceof double[][] m) {
      for (double[] row : m) {
        doubles.pushAll(row, 0, row.length);
      }
    } else if (array instanceof double[][][] t) {
      for (double[][] slice : t) {
        pushContents(slice);
      }
    } else if (array instanceof int[] a) {
      for (int v : a) {
        ints.push(v);
      }
    } else if (array instanceof DMatrixRMaj m) {
      doubles.pushAll(m.data, 0, m.getNumElements());
    } else {
      throw new IllegalArgumentException("no contents record for " + array);
    }
  }

  /** Restores the elements of {@code array} that {@link #pushContents} of the same array recorded. */
  public void popContents(Object array) {
    if (array instanceof double[] a) {
      doubles.popAll(a, 0, a.length);
    } else if (array instanceof double[][] m) {
      for (int r = m.length - 1; r >= 0; r--) {
        doubles.popAll(m[r], 0, m[r].length);
      }
    } else if (array instanceof double[][][] t) {
      for (int s = t.length - 1; s >= 0; s--) {
        popContents(t[s]);
      }
    } else if (array instanceof int[] a) {
      for (int k = a.length - 1; k >= 0; k--) {
        a[k] = ints.pop();
      }
    } else if (array instanceof DMatrixRMaj m) {
      doubles.popAll(m.data, 0, m.getNumElements());
    } else {
      throw new IllegalArgumentException("no contents record for " + array);
    }
  }

  private void pushExactRange(double fraction, double[] a, int from, int to) {
    effective(fraction);
    pushDoubles(a, from, to);
  }

  private void popExactRange(double fraction, double[] a, int from, int to) {
    effective(fraction);
    popDoubles(a, from, to);
  }

  /** An empty range records nothing (as an empty loop would); a non-empty one must lie in the array. */
  private static void checkRange(double[] a, int from, int to) {
    if (from < to && (from < 0 || to > a.length)) {
      throw new ArrayIndexOutOfBoundsException("range [" + from + ", " + to + ") of an array of length " + a.length);
    }
  }

  /**
   * Element records of {@code a[shift + x]}, x = from, ..., to - 1: elements x of row {@code row}
   * of the record keyed {@code key}.
   */
  private void pushSampledRangeKeyed(int site, double fraction, double[] a, int shift, int from, int to, long key,
      long row) {
    fraction = effective(fraction);
    if (from >= to) {
      return;
    }
    checkRange(a, shift + from, shift + to);
    if (fraction >= 1) {
      doubles.pushAll(a, shift + from, shift + to); // keep() keeps all, and v / 1.0 is v
      return;
    }
    BernoulliSampler.pushKept(doubles, baseHash(site, key), row, skipTable(fraction),
        unscaledFixedPattern ? 1.0 : fraction, a, shift, from, to);
  }

  /** The reverse of {@link #pushSampledRangeKeyed}. */
  private void popSampledRangeKeyed(int site, double fraction, double[] a, int shift, int from, int to, long key,
      long row) {
    fraction = effective(fraction);
    if (from >= to) {
      return;
    }
    checkRange(a, shift + from, shift + to);
    if (fraction >= 1) {
      doubles.popAll(a, shift + from, shift + to);
      return;
    }
    BernoulliSampler.popKept(doubles, baseHash(site, key), row, skipTable(fraction), a, shift, from, to);
  }

  // ---- the counter RNG's per-record constants, remembered ------------------------------------
  // A record in loops k, i, x hashes its record key key(k) once per row of the slice loop; the
  // rows of one iteration of k share it, the site and the fraction, so the last of each is kept.
  // A memo is checked against all of its arguments, and begin() forgets the one that depends on the
  // sample seed, so the memos change no result.

  private int memoSite;
  private long memoRecordKey;
  private long memoBase;
  private boolean memoBaseValid;
  private long memoI = 0;
  private long memoKeyI = CounterRng.key(0);
  private long memoIJi = 0;
  private long memoIJj = 0;
  private long memoKeyIJ = CounterRng.key(0, 0);
  private double memoFraction = Double.NaN;
  private long[] memoSkipTable;

  /** {@code CounterRng.hash(sampleSeed, site, recordKey)}. */
  private long baseHash(int site, long recordKey) {
    if (!memoBaseValid || memoSite != site || memoRecordKey != recordKey) {
      memoSite = site;
      memoRecordKey = recordKey;
      memoBase = CounterRng.hash(sampleSeed, site, recordKey);
      memoBaseValid = true;
    }
    return memoBase;
  }

  /** {@code CounterRng.skipTable(fraction)}, shared: callers do not write to it. */
  private long[] skipTable(double fraction) {
    if (fraction != memoFraction) {
      memoSkipTable = CounterRng.skipTable(fraction);
      memoFraction = fraction;
    }
    return memoSkipTable;
  }

  /** {@code CounterRng.key(i)}. */
  private long key1(long i) {
    if (memoI != i) {
      memoI = i;
      memoKeyI = CounterRng.key(i);
    }
    return memoKeyI;
  }

  /** {@code CounterRng.key(i, j)}. */
  private long key2(long i, long j) {
    if (memoIJi != i || memoIJj != j) {
      memoIJi = i;
      memoIJj = j;
      memoKeyIJ = CounterRng.extend(key1(i), j);
    }
    return memoKeyIJ;
  }

  /** {@code CounterRng.keep(sampleSeed, site, recordKey, row, index, fraction)}, with the memos. */
  private boolean kept(int site, long recordKey, long row, long index, double fraction) {
    return fraction >= 1
        || CounterRng.keptLanes(baseHash(site, recordKey), row, index >> 6, 1L << index, skipTable(fraction)) != 0;
  }

  /** The key of all but the last {@code dropped} of {@code indices} (of none if there are fewer). */
  private static long recordKey(long[] indices, int dropped) {
    return CounterRng.prefixKey(indices, indices.length - dropped);
  }

  /** {@code indices[n - back]}, or 0 if there are fewer than {@code back} indices. */
  private static long fromEnd(long[] indices, int back) {
    return indices.length < back ? 0 : indices[indices.length - back];
  }

  private void pushExact(double fraction, double value) {
    effective(fraction);
    doubles.push(value);
  }

  private double popExact(double fraction) {
    effective(fraction);
    return doubles.pop();
  }

  /**
   * Records one value of a {@code @Randomize} variable with Bernoulli sampling, as element {@code
   * index} of row {@code row} of the record keyed {@code recordKey}. Exact context (or {@code
   * fraction == 1}): the same as {@link #pushDouble}. Seeded context: if {@code
   * CounterRng.keep(sampleSeed(), site, recordKey, row, index, fraction)}, pushes {@code value /
   * fraction} onto the double tape, else pushes nothing.
   *
   * @param site the record's number in the generated code
   * @param fraction the probability of keeping the value, {@code 0 < fraction <= 1}
   * @param recordKey the indices of the enclosing loops but the two innermost, folded by {@link
   *     CounterRng#key(long)} and overloads
   * @param row the index of the second innermost loop (0 if there is none)
   * @param index the index of the innermost loop (0 outside loops)
   * @throws IllegalArgumentException if {@code fraction} is not in {@code (0, 1]}
   */
  public void pushSampled(int site, double fraction, double value, long recordKey, long row, long index) {
    fraction = effective(fraction);
    if (exact) {
      doubles.push(value);
    } else if (kept(site, recordKey, row, index, fraction)) {
      doubles.push(unscaledFixedPattern ? value : value / fraction);
    }
  }

  /**
   * The reverse of {@link #pushSampled} with the same site, fraction, record key, row and index:
   * regenerates the decision, and returns the popped {@code value / fraction} if the value was
   * kept, else 0.0 (popping nothing). In an exact context the same as {@link #popDouble}.
   */
  public double popSampled(int site, double fraction, long recordKey, long row, long index) {
    fraction = effective(fraction);
    if (exact || kept(site, recordKey, row, index, fraction)) {
      return doubles.pop();
    }
    return 0.0;
  }

  /**
   * Records a whole array of a {@code @Randomize} variable. An exact context (or {@code fraction ==
   * 1}) pushes every entry; a seeded one pushes only the values that {@code sampling} keeps: about
   * {@code fraction * d} for {@link Sampling#BERNOULLI} (entry {@code j} decided as element {@code
   * j} of row 0 of the record keyed {@code key}), exactly {@code k = CounterRng.sampleCount(
   * fraction, d)} for the others, whose drawn indices (or projection signs) are regenerated from the
   * counter RNG when restoring (formulas at the top of {@code CounterRng.java}). Either way, one int
   * of metadata (the length, -1 for null) goes onto the int tape. All of it counts in {@link
   * #peakTapeBytes()}.
   *
   * @throws IllegalArgumentException if {@code fraction} is not in {@code (0, 1]}
   */
  public void recordArray(int site, Sampling sampling, double fraction, double[] values, long key) {
    fraction = effective(fraction);
    if (values == null) {
      ints.push(-1);
      return;
    }
    sampler(sampling, fraction).record(doubles, sampleSeed, site, fraction, values, key);
    ints.push(values.length);
  }

  /**
   * The reverse of {@link #recordArray} with the same site, sampling, fraction and key: a new dense
   * array of {@code length} entries holding the unbiased reconstruction (kept entries scaled, zeros
   * for dropped ones; {@code R R^T v} for {@link Sampling#RADEMACHER}), or exactly the recorded
   * values in an exact context. Null if null was recorded.
   *
   * @throws IllegalStateException if the record on the tape has another length: the reverse sweep
   *     does not mirror the forward sweep
   */
  /**
   * The reverse of {@link #recordArray}, taking the length from the record itself: what generated
   * code uses after it dropped its reference to the recorded array.
   */
  public double[] restoreArray(int site, Sampling sampling, double fraction, long key) {
    fraction = effective(fraction);
    int recorded = ints.pop();
    return recorded == -1 ? null : restore(site, sampling, fraction, recorded, key);
  }

  public double[] restoreArray(int site, Sampling sampling, double fraction, int length, long key) {
    fraction = effective(fraction);
    int recorded = ints.pop();
    if (recorded == -1) {
      return null;
    }
    if (recorded != length) {
      throw new IllegalStateException("restoreArray at site " + site + " expected a record of length " + length
          + " but the tape holds one of length " + recorded
          + ": the reverse sweep does not mirror the forward sweep");
    }
    return restore(site, sampling, fraction, recorded, key);
  }

  /**
   * Records each row of a matrix as an array record ({@link #recordArray}): row {@code r} with key
   * {@code CounterRng.extend(key, r)}, or, if {@code sameSampleAcrossRows}, every row with {@code
   * key} itself, so all rows share one sample (the paper's "same sample"). Rows may be ragged or
   * null; the row count (-1 for a null matrix) goes onto the int tape.
   */
  public void recordRows(
      int site, Sampling sampling, double fraction, double[][] matrix, boolean sameSampleAcrossRows, long key) {
    fraction = effective(fraction);
    if (matrix == null) {
      ints.push(-1);
      return;
    }
    for (int r = 0; r < matrix.length; r++) {
      recordArray(site, sampling, fraction, matrix[r], rowKey(key, r, sameSampleAcrossRows));
    }
    ints.push(matrix.length);
  }

  /**
   * The reverse of {@link #recordRows} with the same arguments: a new matrix of {@code rows} rows,
   * each the reconstruction of its record (with the recorded length; null rows stay null). Null if
   * null was recorded.
   *
   * @throws IllegalStateException if the record on the tape has another number of rows
   */
  /** The reverse of {@link #recordRows}, taking the number of rows from the record itself. */
  public double[][] restoreRows(int site, Sampling sampling, double fraction, boolean sameSampleAcrossRows, long key) {
    fraction = effective(fraction);
    int recorded = ints.pop();
    ints.push(recorded);
    return recorded == -1 ? pop(ints) : restoreRows(site, sampling, fraction, recorded, sameSampleAcrossRows, key);
  }

  private static double[][] pop(IntTape tape) {
    tape.pop();
    return null;
  }

  public double[][] restoreRows(
      int site, Sampling sampling, double fraction, int rows, boolean sameSampleAcrossRows, long key) {
    fraction = effective(fraction);
    int recorded = ints.pop();
    if (recorded == -1) {
      return null;
    }
    if (recorded != rows) {
      throw new IllegalStateException("restoreRows at site " + site + " expected a record of " + rows
          + " rows but the tape holds one of " + recorded + ": the reverse sweep does not mirror the forward sweep");
    }
    double[][] matrix = new double[rows][];
    for (int r = rows - 1; r >= 0; r--) {
      int length = ints.pop();
      matrix[r] = length == -1 ? null : restore(site, sampling, fraction, length, rowKey(key, r, sameSampleAcrossRows));
    }
    return matrix;
  }

  /**
   * Records each slice of a {@code double[][][]} as a matrix record ({@link #recordRows}): slice
   * {@code s} with key {@code CounterRng.extend(key, s)}, so that row {@code r} of it is keyed
   * {@code extend(extend(key, s), r)}; or, if {@code sameSampleAcrossRows}, every row of every
   * slice with {@code key} itself. The slice count (-1 for null) goes onto the int tape.
   */
  public void recordSlices(
      int site, Sampling sampling, double fraction, double[][][] slices, boolean sameSampleAcrossRows, long key) {
    fraction = effective(fraction);
    if (slices == null) {
      ints.push(-1);
      return;
    }
    for (int s = 0; s < slices.length; s++) {
      recordRows(site, sampling, fraction, slices[s], sameSampleAcrossRows, rowKey(key, s, sameSampleAcrossRows));
    }
    ints.push(slices.length);
  }

  /**
   * The reverse of {@link #recordSlices} with the same arguments, taking the shape from the record:
   * a new {@code double[][][]} whose slices are the reconstructions of their records. Null if null
   * was recorded.
   */
  public double[][][] restoreSlices(int site, Sampling sampling, double fraction, boolean sameSampleAcrossRows, long key) {
    fraction = effective(fraction);
    int recorded = ints.pop();
    if (recorded == -1) {
      return null;
    }
    double[][][] slices = new double[recorded][][];
    for (int s = recorded - 1; s >= 0; s--) {
      slices[s] = restoreRows(site, sampling, fraction, sameSampleAcrossRows, rowKey(key, s, sameSampleAcrossRows));
    }
    return slices;
  }

  private double[] restore(int site, Sampling sampling, double fraction, int length, long key) {
    double[] out = new double[length];
    sampler(sampling, fraction).restore(doubles, sampleSeed, site, fraction, out, key);
    return out;
  }

  private ArraySampler sampler(Sampling sampling, double fraction) {
    if (sampling == null) {
      throw new NullPointerException("sampling");
    }
    return exact ? ExactSampler.INSTANCE : ArraySampler.of(sampling, fraction);
  }

  private static long rowKey(long key, int row, boolean sameSampleAcrossRows) {
    return sameSampleAcrossRows ? key : CounterRng.extend(key, row);
  }

  private static void checkFraction(double fraction) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("a sampled record's fraction must be in (0, 1], got " + fraction);
    }
  }

  /**
   * Keeps an intermediate of a helper that the reverse sweep recomputes ({@code fPrimalKeep}), for
   * the helper's reverse that follows in the same block ({@code fReverseKept}), which takes it
   * back with {@link #popKept} instead of computing it again. Only the reverse sweep keeps values,
   * and it takes each back before it ends, so they never add to the tape's peak.
   */
  public void keep(double v) {
    kept.push(v);
  }

  /** Takes back the value kept last with {@link #keep}. */
  public double popKept() {
    return kept.pop();
  }

  /** Hands the adjoint of a scalar argument from a callee's reverse sweep to its caller. */
  public void pushAdjoint(double adjoint) {
    adjoints.push(adjoint);
  }

  /** Takes the adjoint that a callee's reverse sweep handed back with {@link #pushAdjoint}. */
  public double popAdjoint() {
    return adjoints.pop();
  }

  /** The adjoint array of {@code array}, created as zeros on first use; null for null. */
  public double[] shadow(double[] array) {
    if (array == null) {
      return null;
    }
    double[] bar = (double[]) shadows.get(array);
    if (bar == null) {
      bar = new double[array.length];
      shadows.put(array, bar);
    }
    return bar;
  }

  /**
   * The adjoint array of a matrix, created as zeros of the same (possibly ragged) shape. Its rows
   * are the adjoints of the matrix's rows, also when looked up by the row ({@link
   * #shadow(double[])} of a variable that holds a row): a row already looked up keeps its adjoint.
   */
  public double[][] shadow(double[][] array) {
    if (array == null) {
      return null;
    }
    double[][] bar = (double[][]) shadows.get(array);
    if (bar == null) {
      bar = new double[array.length][];
      for (int r = 0; r < array.length; r++) {
        bar[r] = array[r] == null ? null : shadow(array[r]);
      }
      shadows.put(array, bar);
    }
    return bar;
  }

  /**
   * The adjoint array of a {@code double[][][]}, created as zeros of the same (possibly ragged)
   * shape. Its slices are the adjoints of its slices ({@link #shadow(double[][])}), and so their
   * rows the adjoints of their rows, also when looked up by a slice or a row.
   */
  public double[][][] shadow(double[][][] array) {
    if (array == null) {
      return null;
    }
    double[][][] bar = (double[][][]) shadows.get(array);
    if (bar == null) {
      bar = new double[array.length][][];
      for (int s = 0; s < array.length; s++) {
        bar[s] = array[s] == null ? null : shadow(array[s]);
      }
      shadows.put(array, bar);
    }
    return bar;
  }

  /**
   * Declares {@code bar} the adjoint of {@code array} (an argument's adjoint passed in); for a
   * matrix, each row of {@code bar} the adjoint of the same row of {@code array}; for a {@code
   * double[][][]}, each slice and its rows likewise.
   */
  public void bindShadow(Object array, Object bar) {
    if (array != null && bar != null) {
      shadows.put(array, bar);
      if ((array instanceof double[][] || array instanceof double[][][]) && bar.getClass() == array.getClass()) {
        Object[] m = (Object[]) array;
        Object[] b = (Object[]) bar;
        if (m.length == b.length) {
          for (int r = 0; r < m.length; r++) {
            bindShadow(m[r], b[r]);
          }
        }
      }
    }
  }

  /**
   * Forgets the adjoint of an array (and of a matrix's rows, a {@code double[][][]}'s slices and
   * their rows) at the reverse of its allocation, so it can be collected.
   */
  public void dropShadow(Object array) {
    if (array != null) {
      shadows.remove(array);
      if (array instanceof double[][] || array instanceof double[][][]) {
        for (Object inner : (Object[]) array) {
          dropShadow(inner);
        }
      }
    }
  }

  // ---- EJML matrices (DMatrixRMaj) -------------------------------------------------------------

  /**
   * The adjoint matrix of {@code matrix}, created as zeros of its shape on first use; null for
   * null. (Not an overload of {@code shadow}, so code that never uses EJML compiles without it.)
   */
  public DMatrixRMaj shadowMatrix(DMatrixRMaj matrix) {
    if (matrix == null) {
      return null;
    }
    DMatrixRMaj bar = (DMatrixRMaj) shadows.get(matrix);
    if (bar == null) {
      bar = new DMatrixRMaj(matrix.numRows, matrix.numCols);
      shadows.put(matrix, bar);
    }
    return bar;
  }

  /**
   * Records what an EJML operation is about to overwrite in {@code matrix}, so {@link
   * #restoreMatrix} can put it back in the reverse sweep. A matrix of zeros (a freshly allocated
   * output, the usual case) costs three ints and no doubles; any other content is copied onto the
   * double tape. The shape is recorded too, since EJML operations may reshape their output.
   */
  public void recordMatrix(DMatrixRMaj matrix) {
    int n = matrix.getNumElements();
    boolean zero = true;
    for (int k = 0; k < n && zero; k++) {
      zero = matrix.data[k] == 0.0;
    }
    if (!zero) {
      doubles.pushAll(matrix.data, 0, n);
    }
    ints.push(matrix.numRows);
    ints.push(matrix.numCols);
    ints.push(zero ? 0 : 1);
  }

  /**
   * The reverse of {@link #recordMatrix}: restores the shape and the values {@code matrix} had.
   * Generated code passes null for a freshly allocated output that nothing read before the
   * operation: the record (zeros) is then only taken off the tape.
   *
   * @throws IllegalStateException if {@code matrix} is null but the record holds values
   */
  public void restoreMatrix(DMatrixRMaj matrix) {
    boolean zero = ints.pop() == 0;
    int cols = ints.pop();
    int rows = ints.pop();
    if (matrix == null) {
      if (!zero) {
        throw new IllegalStateException("restoreMatrix: the record holds values but no matrix was passed to restore:"
            + " the reverse sweep does not mirror the forward sweep");
      }
      return;
    }
    if (matrix.numRows != rows || matrix.numCols != cols) {
      // the operation had reshaped it (EJML reshapes outputs): its adjoint, already taken by the
      // operation's reverse, takes the old shape back too, as zeros, or later reads of it would
      // index the old contents with the new layout
      Object bar = shadows.get(matrix);
      if (bar instanceof DMatrixRMaj b) {
        b.reshape(rows, cols);
        b.zero();
      }
    }
    matrix.reshape(rows, cols);
    if (zero) {
      matrix.zero();
    } else {
      doubles.popAll(matrix.data, 0, rows * cols);
    }
  }

  /**
   * Records a {@code @Randomize} matrix whole, row by row, exactly as {@link #recordRows} records
   * a {@code double[][]}: row {@code r} with key {@code CounterRng.extend(key, r)}, or with {@code
   * key} itself for every row if {@code sameSampleAcrossRows}. The shape goes onto the int tape
   * (-1 for a null matrix).
   */
  public void recordMatrix(
      int site, Sampling sampling, double fraction, DMatrixRMaj matrix, boolean sameSampleAcrossRows, long key) {
    fraction = effective(fraction);
    if (matrix == null) {
      ints.push(-1);
      return;
    }
    double[] row = new double[matrix.numCols];
    for (int r = 0; r < matrix.numRows; r++) {
      System.arraycopy(matrix.data, r * matrix.numCols, row, 0, matrix.numCols);
      sampler(sampling, fraction).record(doubles, sampleSeed, site, fraction, row, rowKey(key, r, sameSampleAcrossRows));
    }
    ints.push(matrix.numCols);
    ints.push(matrix.numRows);
  }

  /** The reverse of {@link #recordMatrix(int, Sampling, double, DMatrixRMaj, boolean, long)}. */
  public DMatrixRMaj restoreMatrix(int site, Sampling sampling, double fraction, boolean sameSampleAcrossRows, long key) {
    fraction = effective(fraction);
    int rows = ints.pop();
    if (rows == -1) {
      return null;
    }
    int cols = ints.pop();
    DMatrixRMaj matrix = new DMatrixRMaj(rows, cols);
    for (int r = rows - 1; r >= 0; r--) {
      double[] row = restore(site, sampling, fraction, cols, rowKey(key, r, sameSampleAcrossRows));
      System.arraycopy(row, 0, matrix.data, r * cols, cols);
    }
    return matrix;
  }
}
