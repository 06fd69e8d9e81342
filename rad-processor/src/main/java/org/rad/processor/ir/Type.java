package org.rad.processor.ir;

/** The Java types of the supported subset. */
public enum Type {
  DOUBLE("double"),
  INT("int"),
  LONG("long"),
  BOOLEAN("boolean"),
  DOUBLE_ARRAY("double[]"),
  DOUBLE_MATRIX("double[][]"),
  /** A {@code double[][][]}: an array of {@code double[][]}, as a stack of fields {@code phi[t][i][j]}. */
  DOUBLE_TENSOR("double[][][]"),
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
    return this == DOUBLE || isDoubleArray() || this == MATRIX;
  }

  public boolean isArray() {
    return isDoubleArray() || this == INT_ARRAY || this == MATRIX;
  }

  /** Java arrays of doubles of any rank: {@code double[]}, {@code double[][]}, {@code double[][][]}. */
  public boolean isDoubleArray() {
    return rank() > 0 && this != INT_ARRAY && this != MATRIX;
  }

  /**
   * The number of Java array dimensions: 1 for {@code double[]}, {@code int[]} and an EJML matrix
   * (one {@code data} array), 2 for {@code double[][]}, 3 for {@code double[][][]}; 0 for scalars.
   */
  public int rank() {
    return switch (this) {
      case DOUBLE_ARRAY, INT_ARRAY, MATRIX -> 1;
      case DOUBLE_MATRIX -> 2;
      case DOUBLE_TENSOR -> 3;
      default -> 0;
    };
  }

  /** Whether an array of this type holds arrays (rows, slices), not numbers: rank 2 and up. */
  public boolean isNested() {
    return isDoubleArray() && rank() > 1;
  }

  /** The Java array of doubles of {@code rank} dimensions, or null where the subset has none. */
  public static Type doubleArray(int rank) {
    return switch (rank) {
      case 1 -> DOUBLE_ARRAY;
      case 2 -> DOUBLE_MATRIX;
      case 3 -> DOUBLE_TENSOR;
      default -> null;
    };
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
      case DOUBLE_TENSOR -> DOUBLE_MATRIX;
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
