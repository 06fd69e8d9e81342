package org.rad.samples.zoo;

import org.rad.runtime.RadContext;

/**
 * One entry of the benchmark zoo: a function, its generated gradient, and the number of bytes its
 * reverse sweep truly needs, at a quick or a full size. {@link ZooEntryMain} measures one entry in
 * a JVM of its own.
 */
public abstract class ZooEntry {
  /** Builds the inputs; {@code full} selects the full size where the entry has one. */
  public abstract void setUp(boolean full);

  /** The entry's name on the command line and in the table. */
  public abstract String name();

  /** The size measured, in words, after {@link #setUp}. */
  public abstract String size();

  /** Evaluates the function once; returns a value that depends on all the work (a checksum). */
  public abstract double primal();

  /**
   * Evaluates the gradient once with {@code ctx} (for a Jacobian entry: every gradient call the
   * Jacobian takes); returns a checksum of the values and derivatives.
   */
  public abstract double gradient(RadContext ctx);

  /** Bytes the reverse sweep held in the last {@link #gradient} call with {@code ctx}. */
  public long tapeBytes(RadContext ctx) {
    return ctx.peakTapeBytes();
  }

  /**
   * The bytes the reverse sweep truly needs at the size set up, counted analytically from the
   * program as written ({@link #needRule()} gives each entry's formula), by one rule for every
   * entry: 8 bytes for each value written into an array element that a nonlinear operation's
   * partial derivative reads and that a later write to the same element overwrites before the
   * reverse sweep, and 8 bytes for each element of an array the method allocates whose contents
   * the reverse sweep reads after the forward sweep let go of it (soft-DTW's table: the tape holds
   * it). Elements written once are otherwise still there; scalar temporaries (the reactor's C, a
   * gate of the LSTM, a running maximum) are recomputable from what is kept and the inputs, which
   * are never overwritten; linear updates ({@code s = s + e}) have partials that read nothing.
   * So this is what a to-be-recorded analysis that also recomputes cheap scalars must keep.
   */
  public abstract long needBytes();

  /** The formula of {@link #needBytes()}, in one line for the table's notes. */
  public abstract String needRule();

  /** Whether the entry marks a field {@code @Randomize} (a seeded context then samples it). */
  public boolean randomizes() {
    return false;
  }
}
