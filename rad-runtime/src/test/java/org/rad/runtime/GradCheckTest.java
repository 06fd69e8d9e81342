package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class GradCheckTest {

  /** The n-dimensional Rosenbrock function. */
  static double rosenbrock(double[] x) {
    double f = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      f += 100 * a * a + b * b;
    }
    return f;
  }

  /** Its exact gradient, accumulated into g. */
  static double rosenbrockGradient(double[] x, double[] g) {
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i + 1] - x[i] * x[i];
      double b = 1 - x[i];
      g[i] += -400 * a * x[i] - 2 * b;
      g[i + 1] += 200 * a;
    }
    return rosenbrock(x);
  }

  private static double[] randomPoint(int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextDouble(-1.5, 1.5);
    }
    return x;
  }

  @Test
  void correctRosenbrockGradientPasses() {
    for (long seed = 0; seed < 20; seed++) {
      double[] x = randomPoint(2 + (int) seed % 7, seed);
      double[] before = x.clone();
      GradCheck.assertGradient(GradCheckTest::rosenbrock, GradCheckTest::rosenbrockGradient, x, 1e-6, 1e-6, 1e-6);
      GradCheck.assertGradient(GradCheckTest::rosenbrock, GradCheckTest::rosenbrockGradient, x);
      assertArrayEquals(before, x, "the caller's x is not modified");
      GradCheck.Report report = GradCheck.check(GradCheckTest::rosenbrock, GradCheckTest::rosenbrockGradient, x, 1e-6, seed);
      assertTrue(report.passes(1e-6, 1e-6), report.toString());
      assertTrue(report.maxAbsError() < 1e-5, report.toString());
      assertEquals(rosenbrock(x), report.value());
      assertEquals(rosenbrock(x), report.gradientValue());
    }
  }

  @Test
  void wrongComponentFailsAndIsNamed() {
    double[] x = {-1.2, 1, 0.7, 0.3};
    GradCheck.Gradient wrong = (p, g) -> {
      double f = rosenbrockGradient(p, g);
      g[2] *= 1.001; // a 0.1% error in one component
      return f;
    };
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.assertGradient(GradCheckTest::rosenbrock, wrong, x, 1e-6, 1e-6, 1e-6));
    assertTrue(e.getMessage().contains("component 2"), e.getMessage());
    assertTrue(e.getMessage().contains("worst component 2"), e.getMessage());

    GradCheck.Report report = GradCheck.check(GradCheckTest::rosenbrock, wrong, x, 1e-6, 1);
    assertEquals(2, report.worstIndex());
    assertFalse(report.passes(1e-6, 1e-6));
    assertTrue(report.passes(1e-2, 1e-6), "a loose tolerance accepts the 0.1% error");
    assertEquals(1e-3 / 1.001, report.maxRelError(), 1e-6);
  }

  @Test
  void missingTermFails() {
    // forgets the g[i + 1] contribution: a typical reverse-sweep bug
    GradCheck.Gradient wrong = (p, g) -> {
      for (int i = 0; i + 1 < p.length; i++) {
        double a = p[i + 1] - p[i] * p[i];
        double b = 1 - p[i];
        g[i] += -400 * a * p[i] - 2 * b;
      }
      return rosenbrock(p);
    };
    assertThrows(AssertionError.class,
        () -> GradCheck.assertGradient(GradCheckTest::rosenbrock, wrong, new double[] {0.5, -0.3, 1.1}));
  }

  @Test
  void overwritingInsteadOfAccumulatingIsCaughtOnlyIfItMatters() {
    // g arrives zeroed, so "=" and "+=" agree: the check is about values, not about style
    GradCheck.Gradient assigns = (p, g) -> {
      g[0] = 2 * p[0];
      g[1] = 3;
      return p[0] * p[0] + 3 * p[1];
    };
    assertDoesNotThrow(() -> GradCheck.assertGradient(p -> p[0] * p[0] + 3 * p[1], assigns, new double[] {2, 5}));
  }

  @Test
  void wrongValueFails() {
    GradCheck.Gradient offByOne = (p, g) -> rosenbrockGradient(p, g) + 1;
    AssertionError e = assertThrows(AssertionError.class,
        () -> GradCheck.assertGradient(GradCheckTest::rosenbrock, offByOne, new double[] {0.2, 0.4}));
    assertTrue(e.getMessage().contains("value"), e.getMessage());
  }

  @Test
  void nanGradientFails() {
    GradCheck.Gradient nan = (p, g) -> {
      double f = rosenbrockGradient(p, g);
      g[1] = Double.NaN;
      return f;
    };
    GradCheck.Report report = GradCheck.check(GradCheckTest::rosenbrock, nan, new double[] {0.1, 0.2, 0.3}, 1e-6, 5);
    assertFalse(report.passes(1, 1));
    assertEquals(1, report.worstIndex());
    assertTrue(Double.isNaN(report.maxAbsError()));
    assertThrows(AssertionError.class,
        () -> GradCheck.assertGradient(GradCheckTest::rosenbrock, nan, new double[] {0.1, 0.2, 0.3}));
  }

  @Test
  void directionalCheckCatchesWhatComponentToleranceMisses() {
    // every component off by slightly less than absTol, all in the same direction: the components
    // pass an absolute tolerance, but along a direction the errors add up
    int n = 400;
    double[] x = randomPoint(n, 3);
    GradCheck.Function sum = p -> {
      double s = 0;
      for (double v : p) {
        s += v;
      }
      return s;
    };
    GradCheck.Gradient biased = (p, g) -> {
      for (int i = 0; i < p.length; i++) {
        g[i] += 1 + 0.9e-3 * Math.signum(GradCheck.randomDirection(p.length, 11)[i]);
      }
      return sum.value(p);
    };
    GradCheck.Report report = GradCheck.check(sum, biased, x, 1e-3, 11);
    assertTrue(report.maxAbsError() < 1e-3, report.toString());
    assertFalse(report.passes(0, 1e-3), report.toString());
  }

  @Test
  void centralDifferencesAreExactForQuadraticsAndDoNotMutate() {
    double[] x = {1, -2, 3};
    double[] before = x.clone();
    // f = x0^2 + x0 x1 + 4 x2^2: central differences are exact for quadratics (up to rounding)
    GradCheck.Function f = p -> p[0] * p[0] + p[0] * p[1] + 4 * p[2] * p[2];
    double[] numeric = GradCheck.centralDifferences(f, x, 1e-3);
    assertArrayEquals(new double[] {2 * 1 - 2, 1, 24}, numeric, 1e-9);
    assertArrayEquals(before, x);

    double[] d = {0.5, 0.25, -1};
    double[] dBefore = d.clone();
    double expected = 0.5 * 0 + 0.25 * 1 + -1 * 24;
    assertEquals(expected, GradCheck.directionalDifference(f, x, d, 1e-3), 1e-9);
    assertArrayEquals(before, x);
    assertArrayEquals(dBefore, d);
  }

  @Test
  void functionsThatOverwriteTheirArgumentAreHandled() {
    GradCheck.Function destructive = p -> {
      double v = p[0] * p[1];
      p[0] = 1e9;
      p[1] = -1e9;
      return v;
    };
    GradCheck.Gradient destructiveGradient = (p, g) -> {
      g[0] += p[1];
      g[1] += p[0];
      double v = p[0] * p[1];
      p[0] = 0;
      return v;
    };
    double[] x = {2, 3};
    GradCheck.assertGradient(destructive, destructiveGradient, x);
    assertArrayEquals(new double[] {2, 3}, x);
  }

  @Test
  void randomDirectionIsUnitSeededAndVaries() {
    double[] d1 = GradCheck.randomDirection(50, 7);
    double[] d2 = GradCheck.randomDirection(50, 7);
    double[] d3 = GradCheck.randomDirection(50, 8);
    assertArrayEquals(d1, d2);
    assertFalse(java.util.Arrays.equals(d1, d3));
    double norm2 = 0;
    int positive = 0;
    for (double v : d1) {
      norm2 += v * v;
      positive += v > 0 ? 1 : 0;
    }
    assertEquals(1, norm2, 1e-12);
    assertTrue(positive > 10 && positive < 40, "both signs occur: " + positive);
    assertEquals(1, Math.abs(GradCheck.randomDirection(1, 3)[0]), 1e-15);
    assertEquals(0, GradCheck.randomDirection(0, 3).length);
  }

  @Test
  void emptyInputAndReportBasics() {
    GradCheck.Report empty = GradCheck.check(p -> 5, (p, g) -> 5, new double[0], 1e-6, 0);
    assertEquals(-1, empty.worstIndex());
    assertTrue(empty.passes(0, 0));
    assertTrue(empty.toString().contains("n=0"), empty.toString());

    double[] a = {1, 2};
    GradCheck.Report r = new GradCheck.Report(0.5, 0.25, 1, a, new double[] {1, 1.5}, 3, 3);
    a[0] = 99;
    assertEquals(1, r.analytic()[0], "the report keeps its own copy");
    r.analytic()[0] = 42;
    assertEquals(1, r.analytic()[0], "accessors return copies");
    assertEquals(r, new GradCheck.Report(0.5, 0.25, 1, new double[] {1, 2}, new double[] {1, 1.5}, 3, 3));
    assertEquals(r.hashCode(),
        new GradCheck.Report(0.5, 0.25, 1, new double[] {1, 2}, new double[] {1, 1.5}, 3, 3).hashCode());
    assertNotEquals(r, new GradCheck.Report(0.5, 0.25, 1, new double[] {1, 2}, new double[] {1, 1.6}, 3, 3));
    assertFalse(r.passes(0.1, 0.1));
    assertTrue(r.passes(0.25, 0));
    String s = r.toString();
    assertTrue(s.contains("worst component 1"), s);
    assertTrue(s.contains("analytic=2.0") && s.contains("numeric=1.5"), s);
  }

  @Test
  void agreeUsesTheMixedCriterion() {
    assertTrue(GradCheck.agree(1e-9, 0, 0, 1e-8), "absolute near zero");
    assertFalse(GradCheck.agree(1e-7, 0, 1e-3, 1e-8));
    assertTrue(GradCheck.agree(1000, 1000.5, 1e-3, 0), "relative when large");
    assertFalse(GradCheck.agree(1000, 1002, 1e-3, 0));
    assertFalse(GradCheck.agree(Double.NaN, Double.NaN, 1, 1));
    assertFalse(GradCheck.agree(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 1, 1));
  }

  @Test
  void invalidArgumentsAreRejected() {
    GradCheck.Function f = p -> 0;
    assertThrows(IllegalArgumentException.class, () -> GradCheck.centralDifferences(f, new double[1], 0));
    assertThrows(IllegalArgumentException.class, () -> GradCheck.centralDifferences(f, new double[1], -1e-6));
    assertThrows(IllegalArgumentException.class, () -> GradCheck.centralDifferences(f, new double[1], Double.NaN));
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.directionalDifference(f, new double[2], new double[3], 1e-6));
    assertThrows(IllegalArgumentException.class,
        () -> GradCheck.assertGradient(f, (p, g) -> 0, new double[1], 1e-6, -1, 0));
  }
}
