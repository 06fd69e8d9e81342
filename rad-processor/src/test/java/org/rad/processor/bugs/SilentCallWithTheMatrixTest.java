package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by the fuzzer (seed 4711, program 7771): a loop over a matrix's rows restored each row in
 * bulk, with a run-time check that no array the loop's reverse reads is that row. A call in the
 * loop of a helper whose forward records nothing, given the matrix itself, put the matrix into
 * that check: {@code if (m[i] != m)}, which javac rejects (incomparable types). The matrix may
 * hold the row, which no reference test can rule out: such a loop now keeps its element records.
 */
class SilentCallWithTheMatrixTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Rows {
        static double corner(double x, double[][] m) {
          return m[2][2] * x;
        }

        @Differentiable(wrt = "v")
        static double f(double[] v) {
          double s = 0;
          for (int k = 0; k < 2; k++) {
            double[][] m = new double[3][3];
            for (int i = 0; i < m.length; i++) {
              for (int j = 0; j < m[i].length; j++) {
                m[i][j] = corner(v[j] * (k + 1), m);
              }
            }
            s += Math.sin(s + corner(v[0], m));
          }
          return s;
        }
      }
      """;

  @Test
  void compilesAndMatchesFiniteDifferences() {
    Compiled c = Compiled.compile("demo.Rows", SOURCE);
    GradientCase g = of("f", r -> new Object[] {vector(r, 3, -1, 1)}, 0);
    g.check(c.load("demo.Rows"), c.load("demo.RowsGrad"));
  }
}
