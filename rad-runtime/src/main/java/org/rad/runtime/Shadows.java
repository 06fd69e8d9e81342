package org.rad.runtime;

/** Helpers generated code uses for adjoint arrays. */
public final class Shadows {
  private Shadows() {}

  /** Zeros of the same (possibly ragged) shape as {@code m}. */
  public static double[][] zerosLike(double[][] m) {
    double[][] z = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      if (m[i] != null) {
        z[i] = new double[m[i].length];
      }
    }
    return z;
  }

  /** {@code target[k] += source[k]} for every k (the adjoint of a copy such as {@code clone()}). */
  public static void addInto(double[] target, double[] source) {
    for (int k = 0; k < source.length; k++) {
      target[k] += source[k];
    }
  }

  /** Element-wise {@code target += source} for matrices of the same shape. */
  public static void addInto(double[][] target, double[][] source) {
    for (int i = 0; i < source.length; i++) {
      if (source[i] != null) {
        addInto(target[i], source[i]);
      }
    }
  }

  /** Element-wise {@code target += source} for {@code double[][][]} of the same shape. */
  public static void addInto(double[][][] target, double[][][] source) {
    for (int s = 0; s < source.length; s++) {
      if (source[s] != null) {
        addInto(target[s], source[s]);
      }
    }
  }

  /** A deep copy of {@code t} (slices and their rows copied too). */
  public static double[][][] deepCopy(double[][][] t) {
    double[][][] c = new double[t.length][][];
    for (int s = 0; s < t.length; s++) {
      c[s] = t[s] == null ? null : deepCopy(t[s]);
    }
    return c;
  }

  /** Copies the values of {@code source} into {@code target} (same shape), slice by slice. */
  public static void copyInto(double[][][] target, double[][][] source) {
    for (int s = 0; s < source.length; s++) {
      if (source[s] != null) {
        copyInto(target[s], source[s]);
      }
    }
  }

  /** A deep copy of {@code m} (rows copied too). */
  public static double[][] deepCopy(double[][] m) {
    double[][] c = new double[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i] == null ? null : m[i].clone();
    }
    return c;
  }

  /** Copies the values of {@code source} into {@code target} (same shape), row by row. */
  public static void copyInto(double[][] target, double[][] source) {
    for (int i = 0; i < source.length; i++) {
      if (source[i] != null) {
        System.arraycopy(source[i], 0, target[i], 0, source[i].length);
      }
    }
  }

  /** Element-wise {@code target += source} for EJML matrices of the same shape. */
  public static void addIntoMatrix(org.ejml.data.DMatrixRMaj target, org.ejml.data.DMatrixRMaj source) {
    int n = source.getNumElements();
    for (int k = 0; k < n; k++) {
      target.data[k] += source.data[k];
    }
  }
}
