package org.rad.processor.bugs;

import static com.google.common.truth.Truth.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * One array passed for two {@code wrt} parameters. When the method writes into one of them the
 * sweeps, which treat the parameters as distinct arrays, gave a wrong gradient silently; now the
 * entry throws an IllegalArgumentException naming the two. When it writes neither, each adjoint
 * gets its own partial derivative and their sum is the derivative of {@code f(a, a)}, checked
 * against central differences (step 1e-6, tolerance 1e-7 relative to max(1, |g|)).
 */
class SameArrayForTwoWrtParametersTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Aliased {
        @Differentiable(wrt = {"x", "y"})
        static double writes(double[] x, double[] y) {
          x[0] = x[0] * y[1];
          return x[0] + 2 * y[0];
        }

        @Differentiable(wrt = {"x", "y"})
        static double reads(double[] x, double[] y) {
          double s = 0;
          for (int i = 0; i < x.length; i++) {
            s += x[i] * y[i] * y[i] + Math.sin(x[i]) * y[(i + 1) % y.length];
          }
          return s;
        }

        // found by a user-style test: scaleCols(m, m[0]) gave a wrong gradient without a word
        @Differentiable(wrt = {"m", "v"})
        static double scaleCols(double[][] m, double[] v) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < v.length; j++) {
              m[i][j] *= v[j];
              s += m[i][j];
            }
          }
          return s;
        }
      }
      """;
  static Method writes;
  static Method scaleCols;
  static Method reads;
  static Method readsGrad;

  @BeforeAll
  static void compile() throws ReflectiveOperationException {
    Compiled c = Compiled.compile("demo.Aliased", SOURCE);
    Class<?> user = c.load("demo.Aliased");
    Class<?> grad = c.load("demo.AliasedGrad");
    writes = grad.getMethod("writes", double[].class, double[].class, double[].class, double[].class);
    readsGrad = grad.getMethod("reads", double[].class, double[].class, double[].class, double[].class);
    reads = user.getDeclaredMethod("reads", double[].class, double[].class);
    scaleCols = grad.getMethod("scaleCols", double[][].class, double[].class, double[][].class, double[].class);
    reads.setAccessible(true);
  }

  @Test
  void writingOneOfThemThrowsNamingBoth() {
    double[] a = {3.0, 2.0};
    InvocationTargetException e = assertThrows(InvocationTargetException.class,
        () -> writes.invoke(null, a, a, new double[2], new double[2]));
    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getCause()).hasMessageThat().contains("the same array was passed for x and y, and writes writes into x");
    // distinct arrays are fine: d/dx0 = y1 = 2, d/dy1 = x0 = 3, d/dy0 = 2
    double[] xBar = new double[2];
    double[] yBar = new double[2];
    double value = call(writes, new double[] {3.0, 2.0}, new double[] {3.0, 2.0}, xBar, yBar);
    assertThat(value).isEqualTo(12.0);
    assertThat(xBar).usingTolerance(0).containsExactly(2.0, 0.0).inOrder();
    assertThat(yBar).usingTolerance(0).containsExactly(2.0, 3.0).inOrder();
  }

  @Test
  void aMatrixAndOneOfItsRowsThrowWhereTheMethodWritesOne() {
    double[][] m = {{0.5, -0.7}, {1.0, 2.0}};
    InvocationTargetException e = assertThrows(InvocationTargetException.class,
        () -> scaleCols.invoke(null, m, m[0], new double[2][2], new double[2]));
    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
    assertThat(e.getCause()).hasMessageThat().contains("the array passed for v is part of m");
    assertThat(m[0]).usingTolerance(0).containsExactly(0.5, -0.7).inOrder(); // thrown before anything ran
    // a copy of the row is fine: s = sum_ij m_ij v_j, d/dv_j = m_0j + m_1j, d/dm_ij = v_j
    double[][] mBar = new double[2][2];
    double[] vBar = new double[2];
    double[][] fresh = {{0.5, -0.7}, {1.0, 2.0}};
    call4(fresh, fresh[0].clone(), mBar, vBar);
    assertThat(vBar).usingTolerance(1e-15).containsExactly(1.5, 1.3).inOrder();
    assertThat(mBar[1]).usingTolerance(1e-15).containsExactly(0.5, -0.7).inOrder();
  }

  static void call4(double[][] m, double[] v, double[][] mBar, double[] vBar) {
    try {
      scaleCols.invoke(null, m, v, mBar, vBar);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void readingBothGivesEachItsPartialAndTheirSum() {
    double[] a = {0.3, -0.7, 1.1};
    double[] xBar = new double[3];
    double[] yBar = new double[3];
    double value = call(readsGrad, a, a, xBar, yBar);
    assertThat(value).isEqualTo(primal(a, a));
    double[] dx = differences(x -> primal(x, a.clone()), a);
    double[] dy = differences(y -> primal(a.clone(), y), a);
    double[] both = differences(v -> primal(v, v), a);
    for (int i = 0; i < a.length; i++) {
      assertClose(xBar[i], dx[i]);
      assertClose(yBar[i], dy[i]);
      assertClose(xBar[i] + yBar[i], both[i]);
    }
    // one adjoint array for both: it receives the sum
    double[] bar = new double[3];
    call(readsGrad, a, a, bar, bar);
    for (int i = 0; i < a.length; i++) {
      assertClose(bar[i], both[i]);
    }
  }

  private static void assertClose(double actual, double expected) {
    assertThat(Math.abs(actual - expected)).isAtMost(1e-7 * Math.max(1, Math.abs(expected)));
  }

  private static double[] differences(Function<double[], Double> f, double[] at) {
    double h = 1e-6;
    double[] g = new double[at.length];
    for (int i = 0; i < at.length; i++) {
      double[] plus = at.clone();
      double[] minus = at.clone();
      plus[i] += h;
      minus[i] -= h;
      g[i] = (f.apply(plus) - f.apply(minus)) / (2 * h);
    }
    return g;
  }

  private static double primal(double[] x, double[] y) {
    return call(reads, x, y);
  }

  private static double call(Method m, Object... args) {
    try {
      return (double) m.invoke(null, args);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }
}
