package org.rad.fuzz;

/**
 * The constructs of rad's subset the generator can use. A {@link FeatureMix} switches them on and
 * off, so that a failure can be attributed: rerun the same seed without a feature and see whether
 * the failure class goes away.
 */
public enum Feature {
  /** Counted {@code for} loops, nested, with bounds from enclosing indices and from data. */
  LOOPS,
  /** {@code while} loops whose trip count depends on the data. */
  WHILE,
  /** {@code break} and {@code continue} under data-dependent conditions. */
  BREAK_CONTINUE,
  /** {@code return} before the end of the method, under a condition. */
  EARLY_RETURN,
  /** {@code if}/{@code else} on data-dependent conditions. */
  IF,
  /** Element writes, including overwrites that read the old value ({@code a[i] = a[i] * x}). */
  OVERWRITE,
  /** {@code double[][]} parameters and locals. */
  MATRIX,
  /** Row references ({@code double[] r = m[i];}) and writes through them. */
  ROW_REF,
  /** Buffer swaps ({@code tmp = u; u = w; w = tmp;}), alone and in time-stepping loops. */
  SWAP,
  /** Helpers returning a {@code double}, called several times, results used or not. */
  HELPER_SCALAR,
  /** Helpers returning a fresh {@code double[]}. */
  HELPER_ARRAY,
  /** {@code void} helpers writing into an array parameter. */
  HELPER_WRITER,
  /** The same array variable passed for two array parameters of one call ({@code w(a, a, x)}). */
  ALIASED_ARGS,
  /** {@code ?:} expressions. */
  TERNARY,
  /** {@code Math} functions, in domains where they are smooth. */
  MATH,
  /** {@code Math.abs}, {@code max}, {@code min} (kinks, away from the tie in practice). */
  KINKS,
  /** {@code @Randomize} on a local or a parameter of the entry method. */
  RANDOMIZE,
  /** Enhanced {@code for} over an array. */
  FOREACH,
  /** {@code .clone()} of a {@code double[]}. */
  CLONE,
  /**
   * Loops that overwrite an array in place from its other elements: scans ({@code a[i]} from
   * {@code a[i - 1]}, or from {@code a[i + 1]} running down), tables ({@code m[i][j]} from the
   * cells above and to the left), triangular updates ({@code a[i] -= c a[k]}, {@code k < i}) and
   * relaxation sweeps ({@code a[i]} from both neighbours). Drawn from a random stream of their own
   * and inserted between the statements, so that the rest of a program is what its seed gave
   * without them.
   */
  IN_PLACE,
  /**
   * Indices that are data rather than loop variables, as users' sparse, packed and batched code
   * computes them: an {@code int[]} index array (scatter {@code u[ix[i]] += ...}, gather in place
   * {@code v[i] = f(v[ix[i]]) + ...}), a running counter ({@code u[c] = ...; c++}), a matrix
   * packed row-major into a flat {@code double[]} ({@code f[i * n + j]}), compound {@code *=}
   * and {@code /=} on elements, and recurrences along a row of a matrix that read other rows of it
   * ({@code k = m[2]; k[i] = k[i - 1] * 0.5 + f(m[i % m.length][0] ...)}). Drawn from a random stream of their own and inserted between the
   * statements, like {@link #IN_PLACE}.
   */
  INDIRECT,
  /**
   * Constant tables the class declares, as users keep weights and coefficients: {@code static
   * final double[] K0 = {...}} of the vectors' length and {@code static final double[][] K1} of
   * the matrices' shape, read in expressions ({@code x[i] * K0[i]}, {@code Math.tanh(h[i] +
   * K0[i])}). Whether a leaf reads one is drawn from a random stream of its own, so without this
   * feature a program is what its seed gave before.
   */
  FIELDS,
  /**
   * Indices computed from values, as data-driven code bins and looks up: {@code a[((int) (2 *
   * Math.abs(a[0]))) % a.length]}, an element of the same array (so a write's index may read the
   * array it writes). Drawn from a random stream of its own, like {@link #FIELDS}.
   */
  DATA_INDEX,
  /**
   * {@code switch} on an int (a loop index mod 4, or a bin of a value mod 4): classic cases with {@code
   * break} and shared labels, the default first, between or last; rules with blocks; and switch
   * expressions whose cases are one expression each. A case body may {@code continue} the loop
   * around the switch, never {@code break} out of it. Drawn in place of an {@code if}/{@code else}
   * from a random stream of its own, so the programs of a seed where it does not fire stay as
   * they were.
   */
  SWITCH,
  /**
   * Row references declared inside {@code while} loops over a counter ({@code int k = 0; while (k <
   * m.length) { double[] row = m[k]; ...; k++; }}), also of a slice of a {@code double[][][]}-like
   * row pair and in {@code for} loops whose condition calls a helper: rows read, written in place,
   * and read into locals. Drawn from a random stream of its own, like {@link #SWITCH} (a tester
   * found such a row crashing the reverse sweep, which no other feature wrote).
   */
  WHILE_ROWS,
  /**
   * Rows of one fresh matrix reached through two row references at once, an elimination ({@code
   * double[] rp = e[p]; ... double f = rq[p] * rp[p]; ... rq[c] -= f * rp[c];} with {@code q} from
   * {@code p}, {@code p + 1} or 0 and {@code c} from {@code p}, {@code p + 1} or 0, so that the
   * update overwrites the multiplier's element in its first iteration, in none or in the middle;
   * mixed with direct indexing), and flat tables through a declared stride
   * ({@code int ld = n - 1;} to {@code n + 1}, {@code t[i * ld + j]} reading the row above and the
   * cells beside, the stride sometimes shorter than the columns). Drawn from a random stream of its
   * own, like {@link #SWITCH}: the element analysis compares row references as the rows they hold
   * and flat indices against a stride's declared value, and records an element overwritten in
   * one iteration of a loop only there; a mistake there is a wrong gradient where two references
   * or two flat indices meet.
   */
  ROW_PAIRS
}
