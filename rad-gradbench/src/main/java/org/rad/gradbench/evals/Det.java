package org.rad.gradbench.evals;

import org.rad.annotations.Differentiable;

/**
 * GradBench's det eval: the determinant of an ell x ell matrix (row-major in {@code a}) by
 * expansion in minors along the first row, as cmpad's {@code det_of_minor} computes it.
 *
 * <p>The original is recursive: the determinant of a minor calls itself on each sub-minor. rad
 * rejects recursion ({@code [RadRecursion]}), so the same recursion runs here on an explicit
 * stack: frame {@code d} is the call on the minor of size {@code ell - d}, and its locals
 * ({@code R0}, {@code Cj}, {@code Cj1}, {@code j}, {@code sign}, {@code detM}) live in arrays
 * indexed by {@code d}. The rows and columns of a minor are the linked lists {@code r} and
 * {@code c} of the original (entry {@code ell} is the head). Every product and sum is the one the
 * recursive code performs, in the same order.
 */
public final class Det {

  private Det() {}

  @Differentiable(wrt = "a")
  public static double determinant(double[] a, int ell) {
    int[] r = new int[ell + 1];
    int[] c = new int[ell + 1];
    for (int i = 0; i < ell; i++) {
      r[i] = i + 1;
      c[i] = i + 1;
    }
    int[] row0 = new int[ell];
    int[] colJ = new int[ell];
    int[] colJ1 = new int[ell];
    int[] j = new int[ell];
    int[] sign = new int[ell];
    double[] detM = new double[ell];
    double result = 0; // the value the last finished call returned
    int d = 0;
    boolean entering = true;
    while (d >= 0) {
      if (entering) {
        row0[d] = r[ell];
        colJ[d] = c[ell];
        if (ell - d == 1) {
          // a 1x1 minor: return its element
          result = a[row0[d] * ell + colJ[d]];
          d--;
          entering = false;
          continue;
        }
        detM[d] = 0;
        sign[d] = 1;
        r[ell] = r[row0[d]]; // remove the minor's first row from its sub-minors
        colJ1[d] = ell;
        j[d] = 0;
      } else {
        // the sub-minor without column j returned its determinant in result
        c[colJ1[d]] = colJ[d]; // restore column j
        double m0j = a[row0[d] * ell + colJ[d]];
        if (sign[d] > 0) {
          detM[d] = detM[d] + m0j * result;
        } else {
          detM[d] = detM[d] - m0j * result;
        }
        colJ1[d] = colJ[d];
        colJ[d] = c[colJ[d]];
        sign[d] = -sign[d];
        j[d]++;
      }
      if (j[d] < ell - d) {
        c[colJ1[d]] = c[colJ[d]]; // remove column j to form the sub-minor
        d++;
        entering = true;
      } else {
        r[ell] = row0[d]; // restore the first row
        result = detM[d];
        d--;
        entering = false;
      }
    }
    return result;
  }
}
