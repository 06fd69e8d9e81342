package org.rad.fuzz;

/** A parameter of a generated entry method: its name, its type, and whether it is in {@code wrt}. */
public record Param(String name, Type type, boolean wrt) {
  /** The parameter types the generator uses. */
  public enum Type {
    DOUBLE("double"), INT("int"), BOOLEAN("boolean"), VECTOR("double[]"), MATRIX("double[][]");

    final String java;

    Type(String java) {
      this.java = java;
    }
  }
}
