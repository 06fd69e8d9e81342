package org.rad.processor.diagnostics;

import org.rad.processor.ir.Origin;

/**
 * Thrown by a stage that cannot go on with a statement or a method: carries the message and where
 * it applies. Stages that go on after an error collect them ({@link CompileErrors.Collector}); the
 * processor reports them and writes nothing for the class.
 */
public final class CompileError extends RuntimeException {
  private final transient Origin origin;
  private final boolean followOn;

  public CompileError(Origin origin, String message) {
    this(origin, message, false);
  }

  private CompileError(Origin origin, String message, boolean followOn) {
    super(message, null, false, false);
    this.origin = origin;
    this.followOn = followOn;
  }

  /**
   * An error that only follows from one already reported (a use of a local whose declaration was
   * rejected): it stops the statement but is not reported again.
   */
  public static CompileError followOn(Origin origin, String message) {
    return new CompileError(origin, message, true);
  }

  public Origin origin() {
    return origin;
  }

  public boolean followOn() {
    return followOn;
  }
}
