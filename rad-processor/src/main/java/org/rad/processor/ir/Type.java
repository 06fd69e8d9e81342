package org.rad.processor.ir;

/** The Java types of the supported subset. */
public enum Type {
  DOUBLE("double"),
  INT("int"),
  LONG("long"),
  BOOLEAN("boolean"),
  DOUBLE_ARRAY("double[]"),
  DOUBLE_MATRIX("double[][]"),
  INT_ARRAY("int[]"),
  /**
   * An EJML {@code org.ejml.data.DMatrixRMaj}. The IR treats it as a one-dimensional array of
   * doubles (its row-major {@code data}) with a shape: {@code m.get(i, j)} is element
   * {@code i * m.numCols + j}, and its adjoint is a matrix of the same shape.
   */
  MATRIX("DMatrixRMaj"),
  VOID("void");

  private final String source;

  Type(String source) {
    this.source = source;
  }

  /** How the type is written in Java source. */
  public String source() {
    return source;
  }

  /** Types whose values can carry a derivative: double and arrays of doubles. */
  public boolean isDifferentiable() {
    return this == DOUBLE || this == DOUBLE_ARRAY || this == DOUBLE_MATRIX || this == MATRIX;
  }

  public boolean isArray() {
    return this == DOUBLE_ARRAY || this == DOUBLE_MATRIX || this == INT_ARRAY || this == MATRIX;
  }

  public boolean isIntegral() {
    return this == INT || this == LONG;
  }

  public boolean isNumeric() {
    return this == DOUBLE || this == INT || this == LONG;
  }

  /** The type of {@code a[i]} for an array of this type. */
  public Type element() {
    return switch (this) {
      case DOUBLE_ARRAY, MATRIX -> DOUBLE;
      case DOUBLE_MATRIX -> DOUBLE_ARRAY;
      case INT_ARRAY -> INT;
      default -> throw new IllegalStateException(this + " is not an array type");
    };
  }

  /** The literal a hoisted local of this type starts with. */
  public String zero() {
    return switch (this) {
      case DOUBLE -> "0.0";
      case INT -> "0";
      case LONG -> "0L";
      case BOOLEAN -> "false";
      default -> "null";
    };
  }

  /** Binary numeric promotion (JLS 5.6.2) of two numeric types. */
  public static Type promote(Type a, Type b) {
    if (a == DOUBLE || b == DOUBLE) {
      return DOUBLE;
    }
    if (a == LONG || b == LONG) {
      return LONG;
    }
    return INT;
  }
}
