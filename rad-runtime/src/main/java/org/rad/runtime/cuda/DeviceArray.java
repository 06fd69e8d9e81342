package org.rad.runtime.cuda;

/**
 * An array of doubles in GPU memory, as the generated CUDA path holds a {@code double[]} or a
 * rectangular {@code double[][]} (row-major, {@code rows x cols}; a {@code double[]} has one row).
 * Its handle is opaque, so generated code that mentions this class loads without JCuda.
 */
public final class DeviceArray {
  final Object pointer;
  final int rows;
  final int cols;
  final boolean matrix;

  DeviceArray(Object pointer, int rows, int cols, boolean matrix) {
    this.pointer = pointer;
    this.rows = rows;
    this.cols = cols;
    this.matrix = matrix;
  }

  /** {@code a.length}: the number of rows of a matrix, else the number of elements. */
  public int length() {
    return matrix ? rows : cols;
  }

  /** The number of columns (elements of a {@code double[]}). */
  public int cols() {
    return cols;
  }

  /** The number of doubles it holds. */
  public long size() {
    return (long) rows * cols;
  }

  boolean isMatrix() {
    return matrix;
  }
}
