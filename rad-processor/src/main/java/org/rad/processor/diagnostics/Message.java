package org.rad.processor.diagnostics;

/** Every message the processor reports, each with a stable id users can search for. */
public enum Message {
  UNSUPPORTED("RadUnsupported", "%s is not supported in a @Differentiable method or the methods it calls; %s"),
  UNTYPED("RadUntyped", "cannot type %s: %s"),
  UNKNOWN_CALL("RadUnknownCall", "call to %s, whose body the processor does not differentiate: %s"),
  RECURSION("RadRecursion", "recursive call to %s is not supported; rewrite the recursion as a loop"),
  BAD_SIGNATURE("RadSignature", "%s"),
  INACCESSIBLE("RadInaccessible", "%s"),
  CUDA("RadCuda", "%s cannot run on the GPU (target = Target.CUDA): %s"),
  INTERNAL("RadInternal", "internal error of the rad processor while generating %s: %s. Please report it with this method's source");

  private final String id;
  private final String format;

  Message(String id, String format) {
    this.id = id;
    this.format = format;
  }

  /** The text with its id, e.g. {@code [RadUnsupported] try/catch is not supported ...}. */
  public String format(Object... args) {
    return "[" + id + "] " + String.format(format, args);
  }
}
