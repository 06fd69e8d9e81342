package org.rad.fuzz;

/**
 * The outcome of one program and what explains it: the message of the check that failed (expected
 * versus actual numbers, the arguments), the compile error, or the exception.
 *
 * @param skippedComponents gradient components skipped because the differences disagreed (non-smooth)
 * @param checkedComponents gradient components compared
 */
public record Verdict(Program program, Outcome outcome, String detail, int skippedComponents, int checkedComponents) {
  public static Verdict of(Program p, Outcome o, String detail) {
    return new Verdict(p, o, detail, 0, 0);
  }
}
