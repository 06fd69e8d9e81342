package org.rad.runtime;

/*
 * ================================================================================================
 * Counter-based random numbers for randomized AD: the exact formulas
 * ================================================================================================
 *
 * Every random decision of a randomized gradient is a pure function of (seed, site, key), so the
 * reverse sweep regenerates it instead of storing a mask, and another implementation (a CUDA
 * kernel, say) that follows the formulas below draws bit-for-bit the same samples. All arithmetic
 * is on 64-bit two's-complement integers with wrap-around (uint64_t in C), `>>>` is the logical
 * (unsigned) right shift, `^` is xor; doubles are IEEE 754 binary64, round to nearest.
 *
 *   GOLDEN = 0x9E3779B97F4A7C15          INDEX_MULTIPLIER = 0xD1B54A32D192ED03
 *
 *   mix(z):                          // the SplitMix64 finalizer
 *     z ^= z >>> 30;  z *= 0xBF58476D1CE4E5B9;
 *     z ^= z >>> 27;  z *= 0x94D049BB133111EB;
 *     z ^= z >>> 31;  return z;
 *
 *   extend(h, i) = mix(h ^ (i * INDEX_MULTIPLIER + GOLDEN))
 *   key()                 = GOLDEN
 *   key(i1, ..., in)      = extend(key(i1, ..., i(n-1)), in)      // fold indices left to right
 *
 *   hash(seed, site, key) = mix(mix(seed ^ (site * GOLDEN)) ^ key)  // site sign-extended to 64 bit
 *   uniform(h)            = (double) (h >>> 11) * 2^-53             // exact, in [0, 1)
 *   index(h, d)           = min(d - 1, (int) floor(uniform(h) * d))  // in [0, d), d >= 1
 *   sign(h, t)            = ((h >>> t) & 1) == 0 ? +1.0 : -1.0       // 0 <= t < 64
 *
 *   streamSeed(seed, c)   = mix(seed + (c + 1) * GOLDEN)
 *     = output c (0-based) of SplitMix64 started from state `seed`; the sample seed of gradient
 *       call c on a RadContext.seeded(seed) context (c counts begin() calls from 0).
 *
 *   sampleCount(f, d): 0 if d == 0; else x = f * d; n = rint(x);
 *     k = (|x - n| <= 1e-9 * x) ? n : ceil(x);  return min(d, max(1, k))
 *     (ceil(f d), except that a product that is an integer up to rounding, like 0.3 * 10, is
 *      taken as that integer)
 *
 * Records (s = sample seed of the call, K = the record's key, f = fraction, v = recorded values,
 * d = v.length, k = sampleCount(f, d)). A fraction of 1, and an exact context, record all of v
 * exactly.
 *
 *   Bernoulli decisions (element records, BERNOULLI arrays, row slices) come from geometric skips
 *   over blocks of 64 elements. An element record in loops i1, ..., in is element x = in of row
 *   r = i(n-1) of the record keyed R = key(i1, ..., i(n-2)) (x = 0 when n = 0, r = 0 when n < 2);
 *   entry j of a BERNOULLI array keyed K is element j of row 0 of the record keyed K. Element x is
 *   lane x & 63 of block b = x >> 6 (arithmetic shift). With q = 1.0 - f (rounded), the skip table
 *     p[0] = 1.0,  p[k] = p[k-1] * q,  Q[k] = (long) (p[k] * 2^53)        (k = 0 .. 64)
 *   (so Q[0] = 2^53 and Q never increases), the draws of block b of row r
 *     u(m) = mix(hash(s, site, R) + r * INDEX_MULTIPLIER + (65 * b + m + 1) * GOLDEN) >>> 11,
 *   m = 0, 1, ..., and the skip S(u) = the largest k in 0 .. 64 with u < Q[k], the kept lanes of
 *   the block are
 *     l(-1) = -1,  l(m) = l(m-1) + 1 + S(u(m)),  for as long as l(m) < 64
 *   (the S lanes after a kept one are dropped; a block takes at most 65 draws).
 *     keep(s, site, R, r, x, f) = f >= 1 || lane x & 63 is one of the l(m) of block x >> 6 of row r
 *   P(S >= k) = Q[k] * 2^-53 = (1 - f)^k up to rounding, so every element is kept with probability
 *   f independently of the others (CounterRngTest computes the exact probabilities from the table:
 *   within a relative 1e-12 of f for the fractions it checks). A block costs one draw per kept
 *   lane plus one, and a lane is decided alone by walking the draws of its block up to it.
 *
 *   element record (pushSampled):  kept iff keep(s, site, R, r, x, f); stores v / f if kept, else nothing
 *   BERNOULLI array:    entry j kept iff keep(s, site, K, 0, j, f); stores v[j] / f for the kept j,
 *                       in increasing j
 *   WITH_REPLACEMENT:   for draw j = 0 .. k-1: i_j = index(hash(s, site, extend(K, j)), d);
 *                       stores v[i_j] * (d / (double) k) in increasing j; restore adds each stored
 *                       value at i_j (an entry drawn twice gets both)
 *   WITHOUT_REPLACEMENT (selection sampling, Knuth's algorithm S): m = 0;
 *                       for i = 0 .. d-1: entry i is selected iff
 *                         uniform(hash(s, site, extend(K, i))) < (double) (k - m) / (double) (d - i),
 *                       and then m += 1; stores v[i] * (d / (double) k) for the selected i in
 *                       increasing i (exactly k of them, every k-subset equally likely)
 *   RADEMACHER:         R[i][j] = sign(hash(s, site, extend(extend(K, i), j >>> 6)), j & 63) / sqrt(k)
 *                       for 0 <= i < d, 0 <= j < k (one hash gives 64 signs of a row);
 *                       stores z[j] = (1 / sqrt(k)) * sum_{i = 0..d-1} sign_ij * v[i] for j = 0 .. k-1;
 *                       restores out[i] = (1 / sqrt(k)) * sum_{j = 0..k-1} sign_ij * z[j]
 *                       (sums in increasing index order, 1 / sqrt(k) computed as 1.0 / sqrt((double) k))
 *   matrix (recordRows): row r is an array record with key extend(K, r), or with key K for every
 *                       row when the rows share one sample.
 *
 * Known answers (pinned by CounterRngTest): mix(0) = 0, streamSeed(0, 0) = 0xE220A8397B1DCDAF (the
 * first output of SplitMix64 from state 0).
 * ================================================================================================
 */

/**
 * A counter-based random number generator: every random decision of a randomized gradient is a
 * pure function of {@code (seed, site, key)}, where the site identifies the record in the code and
 * the key folds the indices of the enclosing loops. The reverse sweep regenerates a decision
 * instead of storing it, and any implementation that follows the formulas (documented on each
 * method, and collected in the comment at the top of this file) draws the very same samples.
 *
 * <p>Arithmetic is on 64-bit integers with wrap-around; {@code >>>} is the unsigned shift.
 */
public final class CounterRng {
  /** {@code 0x9E3779B97F4A7C15}: 2^64 divided by the golden ratio, the SplitMix64 increment. */
  public static final long GOLDEN = 0x9E3779B97F4A7C15L;

  /** {@code 0xD1B54A32D192ED03}: the odd multiplier that spreads a loop index in {@link #extend}. */
  public static final long INDEX_MULTIPLIER = 0xD1B54A32D192ED03L;

  /** How many elements a block of Bernoulli decisions holds. */
  public static final int BLOCK = 64;

  /** The most draws a block of Bernoulli decisions takes: one per kept element, and one past the end. */
  public static final int DRAWS_PER_BLOCK = BLOCK + 1;

  private CounterRng() {}

  /**
   * The SplitMix64 finalizer, a bijection of 64-bit values with full avalanche:
   * {@code z ^= z >>> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >>> 27; z *= 0x94D049BB133111EB;
   * z ^= z >>> 31}.
   */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Folds one more loop index into a key: {@code mix(key ^ (index * INDEX_MULTIPLIER + GOLDEN))}.
   * {@code key(i, j) == extend(key(i), j)}, so nested loops can build their keys incrementally.
   */
  public static long extend(long key, long index) {
    return mix(key ^ (index * INDEX_MULTIPLIER + GOLDEN));
  }

  /** The key of a record outside any loop (or whose loops are all shared): {@code GOLDEN}. */
  public static long key() {
    return GOLDEN;
  }

  /** The key of a record in one loop: {@code extend(GOLDEN, i)}. */
  public static long key(long i) {
    return extend(GOLDEN, i);
  }

  /** The key of a record in two nested loops: {@code extend(extend(GOLDEN, i), j)}. */
  public static long key(long i, long j) {
    return extend(extend(GOLDEN, i), j);
  }

  /** The key of a record in three nested loops: {@code extend(extend(extend(GOLDEN, i), j), k)}. */
  public static long key(long i, long j, long k) {
    return extend(extend(extend(GOLDEN, i), j), k);
  }

  /**
   * The key of a record in nested loops, outermost index first: {@code h = GOLDEN}, then for each
   * index {@code h = mix(h ^ (index * INDEX_MULTIPLIER + GOLDEN))}. Equal to the fixed-arity
   * overloads, which avoid the array allocation on hot paths.
   */
  public static long key(long... indices) {
    return prefixKey(indices, indices.length);
  }

  /**
   * The key of the first {@code count} of {@code indices} (of all of them if there are fewer):
   * {@code key(indices[0], ..., indices[count - 1])}, without copying the array.
   */
  public static long prefixKey(long[] indices, int count) {
    long h = GOLDEN;
    for (int n = 0; n < Math.min(count, indices.length); n++) {
      h = extend(h, indices[n]);
    }
    return h;
  }

  /**
   * The random bits of one decision: {@code mix(mix(seed ^ (site * GOLDEN)) ^ key)}, with {@code
   * site} sign-extended to 64 bits before the multiplication.
   */
  public static long hash(long seed, int site, long key) {
    return mix(mix(seed ^ (site * GOLDEN)) ^ key);
  }

  /** A uniform double in [0, 1) from the top 53 bits of a hash: {@code (hash >>> 11) * 2^-53}. */
  public static double uniform(long hash) {
    return (hash >>> 11) * 0x1.0p-53;
  }

  /**
   * The Bernoulli keep decision of element {@code index} of row {@code row} of the record keyed
   * {@code recordKey} (the formulas at the top of this file): {@code fraction >= 1}, or the lane is
   * one that the geometric skips of its block land on. An element record in loops {@code i1, ...,
   * in} has the record key {@code key(i1, ..., i(n-2))}, the row {@code i(n-1)} and the index
   * {@code in}, each 0 where there are too few loops.
   */
  public static boolean keep(long seed, int site, long recordKey, long row, long index, double fraction) {
    if (fraction >= 1) {
      return true;
    }
    return keptLanes(hash(seed, site, recordKey), row, index >> 6, 1L << index, skipTable(fraction)) != 0;
  }

  /**
   * The skip table of {@code 0 < fraction < 1}: {@code Q[k] = (long) (p[k] * 2^53)} for {@code k =
   * 0 .. 64}, where {@code p[0] = 1.0} and {@code p[k] = p[k-1] * (1.0 - fraction)}, each product
   * rounded to double. A uniform 53-bit draw {@code u} is below {@code Q[k]} with probability
   * {@code (1 - fraction)^k} up to rounding: the chance that the next {@code k} elements are all
   * dropped. {@code Q[0] = 2^53}, and Q never increases.
   *
   * <p>After Q, at {@code 65 + b}, an index of the skips: for each of the {@link #SKIP_BUCKETS}
   * ranges of draws that share their top 12 bits, the least skip of the range in the low byte and
   * the greatest in the next ({@link #skip} starts from the first and compares at most until the
   * second: at small fractions one comparison or none, where a search took six). Tables are shared
   * between callers, who do not write to them.
   */
  public static long[] skipTable(double fraction) {
    long[] cached = SKIP_TABLES.get(fraction);
    if (cached != null) {
      return cached;
    }
    long[] table = new long[BLOCK + 1 + SKIP_BUCKETS];
    double q = 1.0 - fraction;
    double p = 1.0;
    table[0] = (long) (p * 0x1.0p53);
    for (int k = 1; k <= BLOCK; k++) {
      p = p * q;
      table[k] = (long) (p * 0x1.0p53);
    }
    for (int b = 0; b < SKIP_BUCKETS; b++) {
      long lowest = (long) b << SKIP_BUCKET_SHIFT;
      long highest = lowest + (1L << SKIP_BUCKET_SHIFT) - 1;
      table[BLOCK + 1 + b] = searchSkip(highest, table) | (long) searchSkip(lowest, table) << 8;
    }
    if (SKIP_TABLES.size() > 256) {
      SKIP_TABLES.clear(); // fractions come from annotations and overrides: a few in practice
    }
    SKIP_TABLES.put(fraction, table);
    return table;
  }

  /** How many ranges of draws the index of a skip table has: those of each value of a draw's top 12 bits. */
  static final int SKIP_BUCKETS = 1 << 12;
  private static final int SKIP_BUCKET_SHIFT = 53 - 12;
  private static final java.util.concurrent.ConcurrentHashMap<Double, long[]> SKIP_TABLES =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The elements of block {@code block} of row {@code row} that a Bernoulli record with base hash
   * {@code base} (that is {@code hash(seed, site, recordKey)}) keeps, among those set in {@code
   * lanes}, as a mask: bit {@code l} for element {@code 64 * block + l}. Walks the geometric skips
   * of the block from lane 0 and stops at the first skip that lands past the highest lane asked
   * for, so a block costs one {@link #mix} per kept lane below that, plus one: about {@code 1 + 64
   * f}, where a hash per element would cost 64.
   */
  public static long keptLanes(long base, long row, long block, long lanes, long[] table) {
    if (lanes == 0) {
      return 0;
    }
    int end = 64 - Long.numberOfLeadingZeros(lanes); // lanes from `end` on are not asked for
    long counter = base + row * INDEX_MULTIPLIER + (DRAWS_PER_BLOCK * block + 1) * GOLDEN;
    long u = mix(counter) >>> 11;
    if (u < table[end]) {
      return 0; // the first skip passes every lane asked for: the usual outcome at small f
    }
    return keptLanesAfter(counter, u, end, lanes, table);
  }

  /**
   * The rows among {@code firstRow, ..., firstRow + count - 1} whose block 0 may keep a lane of
   * {@code lanes}, and what they keep: returns their number {@code w}, with {@code rows[k]} the
   * offset of the k-th (increasing) from {@code firstRow} and {@code kept[k] = keptLanes(base,
   * firstRow + rows[k], 0, lanes, table)}; every other row's {@code keptLanes} is 0.
   *
   * <p>The rows' first draws are independent of each other and are hashed in one loop; which rows
   * go on is then counted, not branched on. Only those rows (about {@code 1 - (1 - f)^width} of them)
   * are walked further. Row by row, each first draw waited for its hash, and its outcome was a
   * branch that went either way at random. {@code rows} and {@code kept} hold at least {@code count}
   * entries.
   */
  public static int keptRows(long base, long firstRow, int count, long lanes, long[] table, int[] rows, long[] kept) {
    if (lanes == 0) {
      return 0;
    }
    long first = base + firstRow * INDEX_MULTIPLIER + GOLDEN; // the counter of row firstRow's first draw
    for (int r = 0; r < count; r++) {
      kept[r] = mix(first + r * INDEX_MULTIPLIER) >>> 11; // u(0) of each row
    }
    // the first skip passes every lane asked for when u(0) < Q[end]; u and Q are at most 2^53, so
    // the sign of their difference says so
    int end = 64 - Long.numberOfLeadingZeros(lanes);
    long threshold = table[end];
    int walked = 0;
    for (int r = 0; r < count; r++) {
      long u = kept[r];
      rows[walked] = r;
      kept[walked] = u; // walked <= r: kept[r] is read before it could be overwritten
      walked += (int) ((u - threshold) >>> 63) ^ 1;
    }
    for (int k = 0; k < walked; k++) {
      kept[k] = keptLanesAfter(first + rows[k] * INDEX_MULTIPLIER, kept[k], end, lanes, table); // as keptLanes goes on
    }
    return walked;
  }

  /**
   * The rest of {@link #keptLanes} once its first draw {@code u} (from {@code counter}) keeps a
   * lane below {@code end}: out of line, so that the usual outcome stays small enough to inline.
   */
  private static long keptLanesAfter(long counter, long u, int end, long lanes, long[] table) {
    long kept = 0;
    int lane = -1; // the last kept lane
    while (true) {
      lane += 1 + skip(u, table);
      if (lane >= end) {
        return kept & lanes; // the skip passes every lane asked for that is still undecided
      }
      kept |= 1L << lane;
      counter += GOLDEN;
      u = mix(counter) >>> 11;
      if (u < table[end - lane - 1]) {
        // the skip passes the end, as skip() would find: one comparison instead of its search
        return kept & lanes;
      }
    }
  }

  /**
   * The skip of draw {@code u}: the largest k in 0 .. 64 with u < Q[k]. From the index of u's
   * range: its least skip, raised while u lies below the next threshold, up to its greatest.
   */
  static int skip(long u, long[] table) {
    long range = table[BLOCK + 1 + (int) (u >>> SKIP_BUCKET_SHIFT)];
    int k = (int) (range & 0xFF);
    int greatest = (int) (range >>> 8);
    while (k < greatest && u < table[k + 1]) {
      k++;
    }
    return k;
  }

  /** {@link #skip} by search in Q alone: how the index of a skip table is built. */
  static int searchSkip(long u, long[] table) {
    // Without data-dependent branches but one: skips below 8 are counted, longer ones found by a
    // binary search. Q never increases, so both give that k. The sign of u - Q[k] (both at most
    // 2^53) is u < Q[k].
    if (u >= table[8]) {
      int skip = 0;
      for (int k = 1; k < 8; k++) {
        skip += (int) ((u - table[k]) >>> 63);
      }
      return skip;
    }
    int lo = 8; // invariant: u < Q[lo], and the answer lies in [lo, lo + n)
    int n = BLOCK + 1 - 8;
    while (n > 1) {
      int half = n >>> 1;
      lo += half & (int) ((u - table[lo + half]) >> 63);
      n -= half;
    }
    return lo;
  }

  /**
   * A uniform index in {@code [0, bound)}: {@code min(bound - 1, (int) floor(uniform(hash) *
   * bound))} ({@code bound >= 1}; the {@code min} only guards against rounding up to {@code
   * bound}).
   */
  public static int index(long hash, int bound) {
    return Math.min(bound - 1, (int) (uniform(hash) * bound));
  }

  /** A random sign from bit {@code bit} (0..63) of a hash: {@code +1.0} if the bit is 0, else {@code -1.0}. */
  public static double sign(long hash, int bit) {
    return ((hash >>> bit) & 1L) == 0 ? 1.0 : -1.0;
  }

  /**
   * The sample seed of gradient call {@code call} (0-based) on a context seeded with {@code seed}:
   * {@code mix(seed + (call + 1) * GOLDEN)}, which is output {@code call} of SplitMix64 started
   * from state {@code seed}. Successive calls thus draw fresh, reproducible samples.
   */
  public static long streamSeed(long seed, long call) {
    return mix(seed + (call + 1) * GOLDEN);
  }

  /**
   * How many of {@code length} entries a whole-array sampler keeps at {@code fraction}: {@code
   * ceil(fraction * length)}, where a product within a relative 1e-9 of an integer (such as {@code
   * 0.3 * 10 = 3.0000000000000004}) counts as that integer, clamped to {@code [1, length]}; 0 for an
   * empty array. Exactly: {@code x = fraction * length; n = rint(x); k = |x - n| <= 1e-9 * x ? n :
   * ceil(x)}.
   */
  public static int sampleCount(double fraction, int length) {
    if (length == 0) {
      return 0;
    }
    double x = fraction * length;
    double n = Math.rint(x);
    double k = Math.abs(x - n) <= 1e-9 * x ? n : Math.ceil(x);
    return (int) Math.min(length, Math.max(1, k));
  }
}
