package org.rad.runtime.ejml;

import org.ejml.data.DMatrixRMaj;

/**
 * The adjoints of the EJML operations ({@code CommonOps_DDRM}) that {@code @Differentiable} code
 * may call. The processor's rule table ({@code org.rad.processor.frontend.EjmlRules}) maps each
 * operation to the method of the same name here; generated reverse sweeps call it.
 *
 * <p>Conventions, the same as for a user's {@code @CustomAdjoint}: the operation's arguments come
 * first, then one adjoint per argument ({@code double[]} of length 1 for a {@code double}, a
 * matrix of the argument's shape for a matrix), then the adjoint of the result when the operation
 * returns a double. Adjoints are accumulated ({@code +=}). An adjoint is null when its argument
 * carries no derivative; nothing is computed for it then. The output of an operation that
 * overwrites it ({@code c} in {@code mult(a, b, c)}) has no influence before the operation, so
 * its adjoint is consumed: set to zero after use. Operations that accumulate into their output
 * ({@code multAdd}, {@code addEquals}) leave it as it is. An adjoint that does not read the
 * output's value gets null for it when the output was freshly allocated, so it takes sizes from
 * the adjoints.
 *
 * <p>Products skip zero entries of the matrix whose transpose multiplies the output's adjoint
 * (the weight gradient of a layer): when that matrix is a sampled {@code @Randomize} record, with
 * a fraction {@code f} of its entries kept, the weight gradient costs about {@code f} of the
 * dense flops.
 */
public final class EjmlAdjoints {
  private EjmlAdjoints() {}

  // ---- products -------------------------------------------------------------------------------

  /** Adjoint of {@code c = a b}. */
  public static void mult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar, DMatrixRMaj cBar) {
    multAdd(a, b, c, aBar, bBar, cBar);
    cBar.zero();
  }

  /** Adjoint of {@code c += a b}. */
  public static void multAdd(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar, DMatrixRMaj cBar) {
    int m = a.numRows;
    int k = a.numCols;
    int n = b.numCols;
    if (aBar != null) {
      // aBar[i][p] += sum_j cBar[i][j] b[p][j]
      for (int i = 0; i < m; i++) {
        for (int p = 0; p < k; p++) {
          aBar.data[i * k + p] += dot(cBar.data, i * n, b.data, p * n, n);
        }
      }
    }
    if (bBar != null) {
      // bBar[p][.] += a[i][p] cBar[i][.], skipping zeros of a
      for (int i = 0; i < m; i++) {
        for (int p = 0; p < k; p++) {
          double v = a.data[i * k + p];
          if (v != 0.0) {
            axpy(v, cBar.data, i * n, bBar.data, p * n, n);
          }
        }
      }
    }
  }

  /** Adjoint of {@code c = a^T b}. */
  public static void multTransA(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar,
      DMatrixRMaj cBar) {
    int k = a.numRows;
    int m = a.numCols;
    int n = b.numCols;
    if (aBar != null) {
      // aBar[p][i] += sum_j b[p][j] cBar[i][j]
      for (int p = 0; p < k; p++) {
        for (int i = 0; i < m; i++) {
          aBar.data[p * m + i] += dot(b.data, p * n, cBar.data, i * n, n);
        }
      }
    }
    if (bBar != null) {
      // bBar[p][.] += a[p][i] cBar[i][.], skipping zeros of a
      for (int p = 0; p < k; p++) {
        for (int i = 0; i < m; i++) {
          double v = a.data[p * m + i];
          if (v != 0.0) {
            axpy(v, cBar.data, i * n, bBar.data, p * n, n);
          }
        }
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code c = a b^T} (a layer {@code x W^T} with weights stored one row per output). */
  public static void multTransB(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar,
      DMatrixRMaj cBar) {
    int m = a.numRows;
    int k = a.numCols;
    int n = b.numRows;
    if (aBar != null) {
      // aBar[i][.] += cBar[i][j] b[j][.]
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < n; j++) {
          double v = cBar.data[i * n + j];
          if (v != 0.0) {
            axpy(v, b.data, j * k, aBar.data, i * k, k);
          }
        }
      }
    }
    if (bBar != null) {
      // bBar[j][p] += cBar[i][j] a[i][p], over the nonzero entries of row i of a only
      int[] nonzero = new int[k];
      for (int i = 0; i < m; i++) {
        int count = 0;
        for (int p = 0; p < k; p++) {
          if (a.data[i * k + p] != 0.0) {
            nonzero[count++] = p;
          }
        }
        if (count == 0) {
          continue;
        }
        for (int j = 0; j < n; j++) {
          double v = cBar.data[i * n + j];
          if (v == 0.0) {
            continue;
          }
          if (count == k) {
            axpy(v, a.data, i * k, bBar.data, j * k, k);
          } else {
            for (int q = 0; q < count; q++) {
              int p = nonzero[q];
              bBar.data[j * k + p] += v * a.data[i * k + p];
            }
          }
        }
      }
    }
    cBar.zero();
  }

  // ---- element-wise -----------------------------------------------------------------------------

  /** Adjoint of {@code c = a + b}. */
  public static void add(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar, DMatrixRMaj cBar) {
    addScaled(1, cBar, aBar);
    addScaled(1, cBar, bBar);
    cBar.zero();
  }

  /** Adjoint of {@code c = a - b}. */
  public static void subtract(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar,
      DMatrixRMaj cBar) {
    addScaled(1, cBar, aBar);
    addScaled(-1, cBar, bBar);
    cBar.zero();
  }

  /** Adjoint of {@code a += b}: a's adjoint flows on unchanged. */
  public static void addEquals(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj aBar, DMatrixRMaj bBar) {
    addScaled(1, aBar, bBar);
  }

  /** Adjoint of {@code a -= b}. */
  public static void subtractEquals(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj aBar, DMatrixRMaj bBar) {
    addScaled(-1, aBar, bBar);
  }

  /** Adjoint of {@code c = a .* b}. */
  public static void elementMult(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar,
      DMatrixRMaj cBar) {
    int n = cBar.getNumElements();
    for (int k = 0; k < n; k++) {
      double g = cBar.data[k];
      if (aBar != null) {
        aBar.data[k] += g * b.data[k];
      }
      if (bBar != null) {
        bBar.data[k] += g * a.data[k];
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code c = a ./ b}. */
  public static void elementDiv(DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj bBar,
      DMatrixRMaj cBar) {
    int n = cBar.getNumElements();
    for (int k = 0; k < n; k++) {
      double g = cBar.data[k] / b.data[k];
      if (aBar != null) {
        aBar.data[k] += g;
      }
      if (bBar != null) {
        bBar.data[k] -= g * a.data[k] / b.data[k];
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code b = alpha a}. */
  public static void scale(double alpha, DMatrixRMaj a, DMatrixRMaj b, double[] alphaBar, DMatrixRMaj aBar,
      DMatrixRMaj bBar) {
    int n = bBar.getNumElements();
    if (alphaBar != null) {
      alphaBar[0] += dot(a.data, 0, bBar.data, 0, n);
    }
    addScaled(alpha, bBar, aBar);
    bBar.zero();
  }

  /** Adjoint of {@code c = -a}. */
  public static void changeSign(DMatrixRMaj a, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj cBar) {
    addScaled(-1, cBar, aBar);
    cBar.zero();
  }

  /** Adjoint of {@code c = exp(a)} element-wise: reads the result {@code c}. */
  public static void elementExp(DMatrixRMaj a, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj cBar) {
    if (aBar != null) {
      int n = c.getNumElements();
      for (int k = 0; k < n; k++) {
        aBar.data[k] += cBar.data[k] * c.data[k];
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code c = log(a)} element-wise. */
  public static void elementLog(DMatrixRMaj a, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj cBar) {
    if (aBar != null) {
      int n = cBar.getNumElements();
      for (int k = 0; k < n; k++) {
        aBar.data[k] += cBar.data[k] / a.data[k];
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code c = a^T}. */
  public static void transpose(DMatrixRMaj a, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj cBar) {
    if (aBar != null) {
      int rows = a.numRows;
      int cols = a.numCols;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          aBar.data[i * cols + j] += cBar.data[j * rows + i];
        }
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code c = } the column vector of the row sums of {@code a}. */
  public static void sumRows(DMatrixRMaj a, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj cBar) {
    if (aBar != null) {
      int cols = a.numCols;
      for (int i = 0; i < a.numRows; i++) {
        double g = cBar.data[i];
        for (int j = 0; j < cols; j++) {
          aBar.data[i * cols + j] += g;
        }
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code c = } the row vector of the column sums of {@code a}. */
  public static void sumCols(DMatrixRMaj a, DMatrixRMaj c, DMatrixRMaj aBar, DMatrixRMaj cBar) {
    if (aBar != null) {
      int cols = a.numCols;
      for (int i = 0; i < a.numRows; i++) {
        for (int j = 0; j < cols; j++) {
          aBar.data[i * cols + j] += cBar.data[j];
        }
      }
    }
    cBar.zero();
  }

  /** Adjoint of {@code s = sum of the elements of a}. */
  public static void elementSum(DMatrixRMaj a, DMatrixRMaj aBar, double sBar) {
    if (aBar != null) {
      int n = a.getNumElements();
      for (int k = 0; k < n; k++) {
        aBar.data[k] += sBar;
      }
    }
  }

  // ---- checks the generated forward sweep makes -------------------------------------------------

  /**
   * Fails unless {@code output} is a different matrix than each input: an operation that writes
   * into one of its own inputs destroys a value its adjoint needs.
   *
   * @throws IllegalArgumentException naming the operation when they are the same matrix
   */
  public static void requireDistinct(String operation, DMatrixRMaj output, DMatrixRMaj... inputs) {
    for (DMatrixRMaj in : inputs) {
      if (in == output) {
        throw new IllegalArgumentException("CommonOps_DDRM." + operation + " in @Differentiable code writes into one of"
            + " its inputs; write the result into a new DMatrixRMaj");
      }
    }
  }

  // ---- kernels ----------------------------------------------------------------------------------

  private static double dot(double[] x, int xOffset, double[] y, int yOffset, int n) {
    double s = 0;
    for (int k = 0; k < n; k++) {
      s += x[xOffset + k] * y[yOffset + k];
    }
    return s;
  }

  private static void axpy(double alpha, double[] x, int xOffset, double[] y, int yOffset, int n) {
    for (int k = 0; k < n; k++) {
      y[yOffset + k] += alpha * x[xOffset + k];
    }
  }

  /** {@code target += alpha source}, or nothing if {@code target} is null. */
  private static void addScaled(double alpha, DMatrixRMaj source, DMatrixRMaj target) {
    if (target == null) {
      return;
    }
    int n = source.getNumElements();
    for (int k = 0; k < n; k++) {
      target.data[k] += alpha * source.data[k];
    }
  }
}
