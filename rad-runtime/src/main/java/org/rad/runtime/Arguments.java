package org.rad.runtime;

import org.ejml.data.DMatrixRMaj;

/**
 * The checks a generated gradient's entry makes of the adjoint arrays it is given, before it runs
 * anything: an adjoint shorter than its parameter (or null) would fail inside the reverse sweep,
 * after part of the writes into the method's arrays had been undone. Each throws an
 * IllegalArgumentException that names the method and the parameter. Also the test of a matrix and
 * one of its own rows passed for two parameters ({@link #holds}).
 */
public final class Arguments {
  private Arguments() {}

  /** The adjoint of a double parameter: an array of at least one element (the derivative goes to element 0). */
  // (the checks are a compare or two, the messages built in methods of their own: an entry called
  // millions of times, a small function's, pays nothing that shows)

  public static void requireAdjoint(double[] bar, String method, String parameter) {
    if (bar == null || bar.length < 1) {
      throw scalarAdjoint(bar, method, parameter);
    }
  }

  private static IllegalArgumentException scalarAdjoint(double[] bar, String method, String parameter) {
    return new IllegalArgumentException(method + ": the adjoint of the double " + parameter
        + " must be an array of one element (the derivative goes to element 0), not " + describe(bar));
  }

  public static void requireAdjoint(double[] x, double[] bar, String method, String parameter) {
    if (x != null && (bar == null || bar.length < x.length)) {
      throw arrayAdjoint(x, bar, method, parameter);
    }
  }

  /** The exception for an adjoint {@code bar} shorter than {@code x} (or null), which generated entries throw. */
  public static IllegalArgumentException arrayAdjoint(double[] x, double[] bar, String method, String parameter) {
    return new IllegalArgumentException(method + ": the adjoint of " + parameter + " must have its length, "
        + x.length + ", not " + describe(bar));
  }

  public static void requireAdjoint(double[][] x, double[][] bar, String method, String parameter) {
    if (x == null) {
      return;
    }
    if (bar == null || bar.length < x.length) {
      throw new IllegalArgumentException(method + ": the adjoint of " + parameter + " must have its " + x.length
          + " rows, not " + (bar == null ? "null" : bar.length));
    }
    for (int i = 0; i < x.length; i++) {
      if (x[i] != null && (bar[i] == null || bar[i].length < x[i].length)) {
        throw new IllegalArgumentException(method + ": row " + i + " of the adjoint of " + parameter
            + " must have the row's length, " + x[i].length + ", not " + describe(bar[i]));
      }
    }
  }

  public static void requireAdjoint(double[][][] x, double[][][] bar, String method, String parameter) {
    if (x == null) {
      return;
    }
    if (bar == null || bar.length < x.length) {
      throw new IllegalArgumentException(method + ": the adjoint of " + parameter + " must have its " + x.length
          + " slices, not " + (bar == null ? "null" : bar.length));
    }
    for (int t = 0; t < x.length; t++) {
      requireAdjoint(x[t], bar[t], method, parameter + "[" + t + "]");
    }
  }

  /**
   * A matrix's adjoint: its shape. (Not an overload of {@code requireAdjoint}: a call of those must
   * compile without EJML on the class path.)
   */
  public static void requireMatrixAdjoint(DMatrixRMaj x, DMatrixRMaj bar, String method, String parameter) {
    if (x != null && (bar == null || bar.numRows != x.numRows || bar.numCols != x.numCols)) {
      throw new IllegalArgumentException(method + ": the adjoint of " + parameter + " must have its shape, "
          + x.numRows + " x " + x.numCols + ", not " + (bar == null ? "null" : bar.numRows + " x " + bar.numCols));
    }
  }

  /**
   * Whether {@code part} is one of the rows of {@code whole}, or one of its slices, or a row of one
   * of its slices (by identity; null rows skipped): a matrix and one of its own rows passed to a
   * method that writes one of them.
   */
  public static boolean holds(Object[] whole, Object part) {
    if (whole == null || part == null) {
      return false;
    }
    for (Object e : whole) {
      if (e == part || e instanceof Object[] nested && holds(nested, part)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Throws unless the rows of {@code m} are distinct arrays (null rows aside): {@code method}
   * writes into {@code m}, and its records were planned for rows that are not one another (a
   * matrix built as {@code m[1] = m[0]} would get a wrong gradient).
   */
  public static void requireDistinctRows(double[][] m, String method, String parameter) {
    if (m != null && !(m.length <= 8 ? distinctFew(m) : distinct(m, new java.util.IdentityHashMap<>()))) {
      throw new IllegalArgumentException(method + ": two rows of " + parameter + " are one array, and " + method
          + " writes into " + parameter + "; its gradient takes the rows as distinct arrays. Pass a matrix whose rows"
          + " are distinct (for instance a copy made row by row)");
    }
  }

  /** As above, for the slices of {@code t} and the rows of all of them. */
  public static void requireDistinctRows(double[][][] t, String method, String parameter) {
    if (t == null) {
      return;
    }
    java.util.IdentityHashMap<Object, Boolean> seen = new java.util.IdentityHashMap<>();
    for (double[][] slice : t) {
      if (slice != null && (seen.put(slice, Boolean.TRUE) != null || !distinct(slice, seen))) {
        throw new IllegalArgumentException(method + ": two slices or rows of " + parameter + " are one array, and "
            + method + " writes into " + parameter + "; its gradient takes them as distinct arrays. Pass an array"
            + " whose slices and rows are distinct (for instance a copy made row by row)");
      }
    }
  }

  /** Whether the rows of {@code m} are distinct from each other and from those in {@code seen}, which gets them. */
  private static boolean distinct(double[][] m, java.util.IdentityHashMap<Object, Boolean> seen) {
    for (double[] row : m) {
      if (row != null && seen.put(row, Boolean.TRUE) != null) {
        return false;
      }
    }
    return true;
  }

  /** Whether the rows of a small {@code m} are distinct, without a table. */
  private static boolean distinctFew(double[][] m) {
    for (int i = 0; i < m.length; i++) {
      for (int j = 0; j < i; j++) {
        if (m[i] != null && m[i] == m[j]) {
          return false;
        }
      }
    }
    return true;
  }

  private static String describe(double[] a) {
    return a == null ? "null" : "an array of length " + a.length;
  }
}
