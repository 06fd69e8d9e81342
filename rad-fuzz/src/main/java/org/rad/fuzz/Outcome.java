package org.rad.fuzz;

/** What happened to one generated program. */
public enum Outcome {
  /** Every check passed at every point that was checked. */
  PASS(false),
  /** The central differences disagreed among themselves at every point: the function is not smooth there. */
  SKIPPED(false),
  /** The generated method's value differs from the original method's. */
  WRONG_VALUE(true),
  /** A gradient component differs from central differences that agree among themselves. */
  WRONG_GRADIENT(true),
  /**
   * With {@code @Randomize}: the mean of many seeded randomized gradients is further from the
   * exact gradient than sampling noise explains (the estimator is biased).
   */
  BIASED(true),
  /** An array argument ends differently from what the original method leaves in it. */
  WRONG_ARRAYS(true),
  /** A second call on the same {@code RadContext} gives another value or gradient. */
  REUSE_MISMATCH(true),
  /** The generated code threw (NullPointerException, an index out of bounds, ...) or did not finish. */
  CRASH(true),
  /** The processor reported a compile error for a program of the documented subset. */
  REJECTED(true),
  /**
   * A rejection the README documents for this program: {@code [RadBiased]} for a {@code @Randomize}
   * request whose samples would bias the gradient. Not a failure.
   */
  REJECTED_AS_DOCUMENTED(false),
  /** The processor reported {@code [RadInternal]} or threw. */
  INTERNAL(true),
  /** javac rejected the source the processor generated. */
  JAVAC_ERROR_IN_GENERATED_CODE(true),
  /** The generator's own fault: the original program does not compile or throws (never a rad bug). */
  INVALID_PROGRAM(true);

  private final boolean failure;

  Outcome(boolean failure) {
    this.failure = failure;
  }

  /** Whether this outcome is a failure to report. */
  public boolean isFailure() {
    return failure;
  }

  /** The outcome's name as the CLI prints it ({@code wrong-gradient}). */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
