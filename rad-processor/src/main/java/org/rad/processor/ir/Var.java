package org.rad.processor.ir;

/**
 * A variable of a method: a parameter, a local (renamed so each declaration in a method has its own
 * name), or one the compiler introduced. Identity is the name within one method.
 */
public record Var(String name, Type type, Kind kind) {
  /** What the variable stands for. */
  public enum Kind {
    PARAMETER,
    LOCAL,
    /** Introduced by a transform in the forward code (call results, exit flags, trip counts). */
    SYNTHETIC,
    /** An adjoint (xBar) or a temporary of the reverse sweep. */
    ADJOINT
  }

  public static Var local(String name, Type type) {
    return new Var(name, type, Kind.LOCAL);
  }

  @Override
  public String toString() {
    return name;
  }
}
