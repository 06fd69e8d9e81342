package org.rad.runtime;

/**
 * The samples of up to {@link #ROWS} consecutive rows of a Bernoulli record, drawn at once by
 * {@link CounterRng#keptRows}, and the scratch that takes: one per context, reused by every rows
 * record ({@link BernoulliSampler#pushRows}).
 */
final class RowDraws {
  /** How many rows one draw covers. */
  static final int ROWS = 64;

  /** After {@link #draw}: the offsets from its first row of the rows that may keep lanes, increasing. */
  final int[] rows = new int[ROWS];
  /** After {@link #draw}: the lanes that row {@code rows[k]} keeps. */
  final long[] kept = new long[ROWS];

  /** Draws rows {@code firstRow .. firstRow + count - 1} ({@code count <= ROWS}); returns how many of {@link #rows} it set. */
  int draw(long base, long firstRow, int count, long lanes, long[] table) {
    return CounterRng.keptRows(base, firstRow, count, lanes, table, rows, kept);
  }
}
