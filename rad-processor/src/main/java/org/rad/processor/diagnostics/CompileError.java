package org.rad.processor.diagnostics;

import org.rad.processor.ir.Origin;

/**
 * Thrown by a stage that cannot go on with a method: carries the message and where it applies.
 * Caught per class by the processor, which reports it and writes nothing for that class.
 */
public final class CompileError extends RuntimeException {
  private final transient Origin origin;

  public CompileError(Origin origin, String message) {
    super(message, null, false, false);
    this.origin = origin;
  }

  public Origin origin() {
    return origin;
  }
}
