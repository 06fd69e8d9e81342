package org.rad.gradbench.evals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * Each eval's rad gradient against central differences of its objective, at small sizes, every
 * component: |rad - fd| <= 1e-6 (1 + |fd|) with step 1e-5. (GradBench's own validation against
 * the manual C++ tool runs in {@code RunPyEndToEndTest} and {@code bin/rad gradbench}.)
 */
class GradientsTest {

  private static final double H = 1e-5;

  /** Checks grad against central differences of f over the flattened parameters x. */
  private static void check(String what, ToDoubleFunction<double[]> f, double[] x, double[] grad) {
    for (int i = 0; i < x.length; i++) {
      double keep = x[i];
      x[i] = keep + H;
      double up = f.applyAsDouble(x);
      x[i] = keep - H;
      double down = f.applyAsDouble(x);
      x[i] = keep;
      double fd = (up - down) / (2 * H);
      assertEquals(fd, grad[i], 1e-6 * (1 + Math.abs(fd)), what + " component " + i);
    }
  }

  private static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    return v;
  }

  private static double[][] rows(double[] flat, int rows, int cols, int offset) {
    double[][] m = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, offset + i * cols, m[i], 0, cols);
    }
    return m;
  }

  private static void flatten(double[][] m, double[] into, int offset) {
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, into, offset + i * m[i].length, m[i].length);
    }
  }

  @Test
  void lse() {
    double[] x = random(50, 1);
    double[] g = new double[x.length];
    LseGrad.logSumExp(x, g);
    check("lse", Lse::logSumExp, x, g);
  }

  @Test
  void llsq() {
    double[] x = random(8, 2);
    double[] g = new double[x.length];
    LlsqGrad.residual(x, 33, g);
    check("llsq", v -> Llsq.residual(v, 33), x, g);
  }

  @Test
  void detAgainstDifferencesAndAClosedForm() {
    for (int ell = 1; ell <= 5; ell++) {
      int n = ell;
      double[] a = random(n * n, 3 + n);
      double[] g = new double[a.length];
      DetGrad.determinant(a, n, g);
      check("det " + n, v -> Det.determinant(v, n), a, g);
    }
    // det of diag(2, 3, 5) is 30; its gradient is the cofactor matrix, diag(15, 10, 6)
    double[] d = {2, 0, 0, 0, 3, 0, 0, 0, 5};
    double[] g = new double[9];
    assertEquals(30, DetGrad.determinant(d, 3, g), 1e-12);
    assertEquals(15, g[0], 1e-12);
    assertEquals(10, g[4], 1e-12);
    assertEquals(6, g[8], 1e-12);
  }

  @Test
  void ode() {
    double[] x = random(12, 4);
    double[] g = new double[x.length];
    OdeGrad.last(x, 3, g);
    check("ode", v -> Ode.last(v, 3), x, g);
  }

  @Test
  void gmm() {
    int d = 3;
    int k = 2;
    int ls = d * (d - 1) / 2;
    double[][] x = rows(random(7 * d, 5), 7, d, 0);
    double[] p = random(k + 2 * k * d + k * ls, 6);
    ToDoubleFunction<double[]> f = v -> Gmm.objective(java.util.Arrays.copyOf(v, k),
        rows(v, k, d, k), rows(v, k, d, k + k * d), rows(v, k, ls, k + 2 * k * d), x, 1.0, 0);
    double[] alphaBar = new double[k];
    double[][] muBar = new double[k][d];
    double[][] qBar = new double[k][d];
    double[][] lBar = new double[k][ls];
    GmmGrad.objective(java.util.Arrays.copyOf(p, k), rows(p, k, d, k), rows(p, k, d, k + k * d),
        rows(p, k, ls, k + 2 * k * d), x, 1.0, 0, alphaBar, muBar, qBar, lBar);
    double[] g = new double[p.length];
    System.arraycopy(alphaBar, 0, g, 0, k);
    flatten(muBar, g, k);
    flatten(qBar, g, k + k * d);
    flatten(lBar, g, k + 2 * k * d);
    check("gmm", f, p, g);
  }

  @Test
  void lstm() {
    int layers = 2;
    int b = 4;
    double[][] state = rows(random(2 * layers * b, 7), 2 * layers, b, 0);
    double[][] sequence = rows(random(6 * b, 8), 6, b, 0);
    int mainSize = 2 * layers * 4 * b;
    double[] p = random(mainSize + 3 * b, 9);
    ToDoubleFunction<double[]> f = v -> Lstm.objective(rows(v, 2 * layers, 4 * b, 0),
        rows(v, 3, b, mainSize), state, sequence);
    double[][] mainBar = new double[2 * layers][4 * b];
    double[][] extraBar = new double[3][b];
    LstmGrad.objective(rows(p, 2 * layers, 4 * b, 0), rows(p, 3, b, mainSize), state, sequence,
        mainBar, extraBar);
    double[] g = new double[p.length];
    flatten(mainBar, g, 0);
    flatten(extraBar, g, mainSize);
    check("lstm", f, p, g);
  }

  @Test
  void logGammaMatchesFactorials() {
    assertEquals(Math.log(120), LogGamma.of(6), 1e-13);
    assertEquals(0.5 * Math.log(Math.PI), LogGamma.of(0.5), 1e-13);
    assertEquals(Math.log(0.75 * Math.sqrt(Math.PI)), LogGamma.of(2.5), 1e-13);
  }
}
