package org.rad.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rad.runtime.RadContext;
import org.rad.runtime.RadDiagnostics;

/**
 * EJML matrix code: every operation of the rule table ({@code CommonOps_DDRM} on {@code
 * DMatrixRMaj}) differentiated and checked against central differences (|g - fd| <= 1e-6 max(1,
 * |g|, |fd|), h = 1e-6, at 3 seeded points), element access through get/set/data, a
 * {@code @Randomize} matrix feeding a product (unbiased, seeded, within 5 standard errors), and the
 * compile errors for what the rules cannot differentiate.
 */
class EjmlRulesTest {
  static final String SOURCE = """
      package ej;
      import org.ejml.data.DMatrixRMaj;
      import org.ejml.dense.row.CommonOps_DDRM;
      import org.rad.annotations.Differentiable;
      import org.rad.annotations.Randomize;
      public class Ops {
        /** The products: a is 3x4, b is 4x2. */
        @Differentiable
        static double products(DMatrixRMaj a, DMatrixRMaj b) {
          DMatrixRMaj c = new DMatrixRMaj(a.numRows, b.numCols);
          CommonOps_DDRM.mult(a, b, c);
          DMatrixRMaj d = new DMatrixRMaj(a.numCols, c.numCols);
          CommonOps_DDRM.multTransA(a, c, d);
          DMatrixRMaj e = new DMatrixRMaj(d.numRows, b.numRows);
          CommonOps_DDRM.multTransB(d, b, e);
          // d was read above: multAdd updates it in place, so its old value is recorded
          CommonOps_DDRM.multAdd(e, b, d);
          double s = 0;
          for (int i = 0; i < d.numRows; i++) {
            for (int j = 0; j < d.numCols; j++) {
              s += Math.sin(d.get(i, j));
            }
          }
          return s;
        }

        /** The element-wise operations: a and b are 3x3, b positive. */
        @Differentiable
        static double elementwise(DMatrixRMaj a, DMatrixRMaj b, double alpha) {
          DMatrixRMaj s = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.add(a, b, s);
          DMatrixRMaj t = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.subtract(s, b, t);
          DMatrixRMaj u = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.elementMult(s, t, u);
          DMatrixRMaj v = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.elementDiv(u, b, v);
          DMatrixRMaj w = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.scale(alpha, v, w);
          DMatrixRMaj x = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.changeSign(w, x);
          DMatrixRMaj y = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.elementExp(x, y);
          DMatrixRMaj z = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.elementLog(b, z);
          CommonOps_DDRM.addEquals(y, z);
          CommonOps_DDRM.subtractEquals(y, a);
          DMatrixRMaj yt = new DMatrixRMaj(3, 3);
          CommonOps_DDRM.transpose(y, yt);
          DMatrixRMaj rows = new DMatrixRMaj(3, 1);
          CommonOps_DDRM.sumRows(yt, rows);
          DMatrixRMaj cols = new DMatrixRMaj(1, 3);
          CommonOps_DDRM.sumCols(yt, cols);
          return CommonOps_DDRM.elementSum(rows) * rows.get(0) + CommonOps_DDRM.elementSum(cols) * cols.get(0, 2);
        }

        /** A layer: tanh(x w^T + bias) written with get, set and data; x is 4x3, w 2x3, bias 1x2. */
        @Differentiable(wrt = {"w", "bias"})
        static double layer(DMatrixRMaj x, DMatrixRMaj w, DMatrixRMaj bias) {
          DMatrixRMaj h = new DMatrixRMaj(x.numRows, w.numRows);
          CommonOps_DDRM.multTransB(x, w, h);
          for (int n = 0; n < h.numRows; n++) {
            for (int i = 0; i < h.getNumCols(); i++) {
              h.set(n, i, Math.tanh(h.get(n, i) + bias.data[i]));
            }
          }
          double loss = 0;
          for (int k = 0; k < h.getNumElements(); k++) {
            loss += h.data[k] * h.data[k];
          }
          return loss;
        }

        /** Writes into a matrix parameter: the caller sees what the original method leaves in out. */
        @Differentiable(wrt = "a")
        static double writesParameter(DMatrixRMaj a, DMatrixRMaj out) {
          CommonOps_DDRM.scale(2.0, a, out);
          double s = 0;
          for (int k = 0; k < out.getNumElements(); k++) {
            s += Math.sin(out.data[k]) * a.data[k];
          }
          return s;
        }

        /** Two layers, the hidden activations sampled for the reverse sweep: x 4x3, w1 5x3, w2 2x5. */
        @Differentiable(wrt = {"w1", "w2"})
        static double sampled(DMatrixRMaj x, DMatrixRMaj w1, DMatrixRMaj w2) {
          @Randomize(fraction = 0.5)
          DMatrixRMaj h = new DMatrixRMaj(x.numRows, w1.numRows);
          CommonOps_DDRM.multTransB(x, w1, h);
          for (int k = 0; k < h.getNumElements(); k++) {
            h.data[k] = Math.max(0, h.data[k]);
          }
          DMatrixRMaj out = new DMatrixRMaj(x.numRows, w2.numRows);
          CommonOps_DDRM.multTransB(h, w2, out);
          double loss = 0;
          for (int k = 0; k < out.getNumElements(); k++) {
            loss += Math.tanh(out.data[k]);
          }
          return loss;
        }

        /** The same with one sample of hidden units shared by every row (example). */
        @Differentiable(wrt = {"w1", "w2"})
        static double sampledRows(DMatrixRMaj x, DMatrixRMaj w1, DMatrixRMaj w2) {
          @Randomize(fraction = 0.5, sameAcross = Randomize.ROWS)
          DMatrixRMaj h = new DMatrixRMaj(x.numRows, w1.numRows);
          CommonOps_DDRM.multTransB(x, w1, h);
          for (int k = 0; k < h.getNumElements(); k++) {
            h.data[k] = Math.max(0, h.data[k]);
          }
          DMatrixRMaj out = new DMatrixRMaj(x.numRows, w2.numRows);
          CommonOps_DDRM.multTransB(h, w2, out);
          double loss = 0;
          for (int k = 0; k < out.getNumElements(); k++) {
            loss += Math.tanh(out.data[k]);
          }
          return loss;
        }
      }
      """;

  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("ej.Ops", SOURCE);
    user = compiled.load("ej.Ops");
    grad = compiled.load("ej.OpsGrad");
  }

  static DMatrixRMaj matrix(SplittableRandom r, int rows, int cols, double lo, double hi) {
    DMatrixRMaj m = new DMatrixRMaj(rows, cols);
    for (int k = 0; k < m.data.length; k++) {
      m.data[k] = r.nextDouble(lo, hi);
    }
    return m;
  }

  @Test
  void productsMatchCentralDifferences() {
    new GradientHarness(user, grad, "products", 0, 1)
        .check(r -> new Object[] {matrix(r, 3, 4, -1, 1), matrix(r, 4, 2, -1, 1)}, 3, 1e-6, 1e-6);
  }

  @Test
  void elementwiseOperationsMatchCentralDifferences() {
    new GradientHarness(user, grad, "elementwise", 0, 1, 2)
        .check(r -> new Object[] {matrix(r, 3, 3, -1, 1), matrix(r, 3, 3, 0.5, 2), r.nextDouble(-1, 1)}, 3, 1e-6, 1e-6);
  }

  @Test
  void elementAccessMatchesCentralDifferences() {
    new GradientHarness(user, grad, "layer", 1, 2)
        .check(r -> new Object[] {matrix(r, 4, 3, -1, 1), matrix(r, 2, 3, -1, 1), matrix(r, 1, 2, -1, 1)}, 3, 1e-6, 1e-6);
  }

  @Test
  void writtenMatrixParameterKeepsItsFinalValue() {
    new GradientHarness(user, grad, "writesParameter", 0)
        .check(r -> new Object[] {matrix(r, 2, 3, -1, 1), matrix(r, 2, 3, -1, 1)}, 3, 1e-6, 1e-6);
  }

  @Test
  void sampledMatrixMatchesCentralDifferencesWhenExact() {
    new GradientHarness(user, grad, "sampled", 1, 2)
        .check(r -> new Object[] {matrix(r, 4, 3, -1, 1), matrix(r, 5, 3, -1, 1), matrix(r, 2, 5, -1, 1)}, 3, 1e-6, 1e-6);
    new GradientHarness(user, grad, "sampledRows", 1, 2)
        .check(r -> new Object[] {matrix(r, 4, 3, -1, 1), matrix(r, 5, 3, -1, 1), matrix(r, 2, 5, -1, 1)}, 3, 1e-6, 1e-6);
  }

  /**
   * The mean of 400 seeded randomized gradients lies within 5 standard errors of the exact one in
   * each of the 25 components (a chance failure has probability below 1e-5 per function).
   */
  @Test
  void sampledMatrixGradientIsUnbiased() {
    for (String name : new String[] {"sampled", "sampledRows"}) {
      Object[] args = {matrix(new SplittableRandom(3), 4, 3, -1, 1), matrix(new SplittableRandom(4), 5, 3, -1, 1),
          matrix(new SplittableRandom(5), 2, 5, -1, 1)};
      GradientHarness h = new GradientHarness(user, grad, name, 1, 2);
      RadDiagnostics.Report r = RadDiagnostics.measure(ctx -> h.gradient(args, ctx).gradient(), 400, 11,
          RadContext.seeded(11));
      double variance = 0;
      for (double v : r.variance()) {
        variance += v;
      }
      assertTrue(variance > 0, name + ": nothing was sampled");
      assertTrue(r.maxStandardErrorsFromExact() <= 5, name + ": " + r);
    }
  }

  @Test
  void generatedCodeCallsTheRuleAndRecordsTheSampleByRows() {
    String generated = compiled.generatedSource("ej.OpsGrad");
    assertTrue(generated.contains("EjmlAdjoints.multTransB(a, b, c, aBar, bBar, cBar)"), generated);
    assertTrue(generated.matches("(?s).*ctx\\.recordMatrix\\(\\d+, Sampling\\.BERNOULLI, 0\\.5, h, true, CounterRng\\.key\\(\\)\\).*"),
        generated);
    // x carries no derivative: its adjoint is not computed; h was allocated just before, so it is
    // not restored (nor kept) for this call
    assertTrue(generated.contains("ejmlMultTransBReverse(x, w1, null, null, w1Bar, hBar, ctx)"), generated);
  }

  @Test
  void writingIntoAnInputIsAnErrorAtItsLine() {
    Compilation c = Compiled.compileExpectingFailure("ej.Bad", """
        package ej;
        import org.ejml.data.DMatrixRMaj;
        import org.ejml.dense.row.CommonOps_DDRM;
        import org.rad.annotations.Differentiable;
        public class Bad {
          @Differentiable
          static double f(DMatrixRMaj a, DMatrixRMaj b) {
            CommonOps_DDRM.add(a, b, a);
            return CommonOps_DDRM.elementSum(a);
          }
        }
        """);
    assertThat(c).hadErrorContaining("CommonOps_DDRM.add writing into its own input a").inFile(c.sourceFiles().get(0)).onLine(8);
  }

  @Test
  void anOperationWithoutARuleIsAnErrorAtItsLine() {
    Compilation c = Compiled.compileExpectingFailure("ej.NoRule", """
        package ej;
        import org.ejml.data.DMatrixRMaj;
        import org.ejml.dense.row.CommonOps_DDRM;
        import org.rad.annotations.Differentiable;
        public class NoRule {
          @Differentiable
          static double f(DMatrixRMaj a) {
            DMatrixRMaj inv = new DMatrixRMaj(a.numRows, a.numCols);
            CommonOps_DDRM.invert(a, inv);
            return CommonOps_DDRM.elementSum(inv);
          }
        }
        """);
    assertThat(c).hadErrorContaining("CommonOps_DDRM.invert with these arguments, which has no adjoint rule")
        .inFile(c.sourceFiles().get(0)).onLine(9);
  }

  @Test
  void aSampledRecordReachingANonlinearAdjointIsBiased() {
    Compilation c = Compiled.compileExpectingFailure("ej.Biased", """
        package ej;
        import org.ejml.data.DMatrixRMaj;
        import org.ejml.dense.row.CommonOps_DDRM;
        import org.rad.annotations.Differentiable;
        import org.rad.annotations.Randomize;
        public class Biased {
          @Differentiable(wrt = "w")
          static double f(DMatrixRMaj x, DMatrixRMaj w) {
            @Randomize(fraction = 0.5)
            DMatrixRMaj h = new DMatrixRMaj(x.numRows, w.numRows);
            CommonOps_DDRM.multTransB(x, w, h);
            DMatrixRMaj logs = new DMatrixRMaj(x.numRows, w.numRows);
            CommonOps_DDRM.elementLog(h, logs);
            return CommonOps_DDRM.elementSum(logs);
          }
        }
        """);
    assertThat(c).hadErrorContaining("[RadBiased] @Randomize on h would bias the gradient: its sampled record reaches"
        + " the adjoint of CommonOps_DDRM.elementLog as a").inFile(c.sourceFiles().get(0)).onLine(10);
  }
}
