package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * RadDiagnostics on a synthetic randomized gradient with known moments: {@code g_i = x_i b_i / f},
 * {@code b_i ~ Bernoulli(f)} drawn through the context's sampled records, so {@code E g_i = x_i}
 * and {@code Var g_i = x_i^2 (1 - f) / f}. Statistical bounds are 5 standard deviations of the
 * estimator in question (normal approximation: a correct implementation fails one with
 * probability below 1e-6), except where stated; the checks are deterministic for the fixed seeds.
 */
class RadDiagnosticsTest {
  private static final double[] X = {1.0, -2.0, 0.5, 3.0, -0.25, 4.0, 1.5, -1.0, 2.0, 0.75};
  private static final double F = 0.25;
  private static final int DRAWS = 4000;

  /**
   * The synthetic gradient: each x_i recorded with Bernoulli(F) sampling and restored; unscaled,
   * the sampled draws leave out the 1/F (biased: E g = F x), the exact one is still x.
   */
  private static double[] sampledGradient(RadContext ctx, boolean scaled) {
    ctx.begin();
    for (int i = 0; i < X.length; i++) {
      ctx.pushSampledAt(1, F, X[i], i);
    }
    double[] g = new double[X.length];
    for (int i = X.length - 1; i >= 0; i--) {
      g[i] = ctx.popSampledAt(1, F, i) * (scaled || ctx.isExact() ? 1 : F);
    }
    ctx.end();
    return g;
  }

  @Test
  void reportsTheKnownMeanVarianceAndRelativeError() {
    RadDiagnostics.Report r = RadDiagnostics.measure(ctx -> sampledGradient(ctx, true), DRAWS, 42);
    assertEquals(DRAWS, r.draws());
    assertEquals(42, r.seed());
    assertEquals(X.length, r.size());
    assertArrayEquals(X, r.exact());

    double kurtosisTerm = Math.pow(1 - F, 4) / Math.pow(F, 3) + (1 - F); // E[(b/f - 1)^4]
    double[] variance = r.variance();
    double[] mean = r.mean();
    double[] se = r.standardError();
    for (int i = 0; i < X.length; i++) {
      double sigma2 = X[i] * X[i] * (1 - F) / F;
      double mu4 = Math.pow(X[i], 4) * kurtosisTerm;
      double sdOfVariance = Math.sqrt((mu4 - sigma2 * sigma2 * (DRAWS - 3.0) / (DRAWS - 1)) / DRAWS);
      assertEquals(sigma2, variance[i], 5 * sdOfVariance, "variance of component " + i);
      assertEquals(Math.sqrt(variance[i] / DRAWS), se[i], 1e-15);
      assertEquals(X[i], mean[i], 5 * Math.sqrt(sigma2 / DRAWS), "mean of component " + i);
    }

    // relative MSE: per draw Q = sum x_i^2 Y_i / |x|^2 with Y = (b/f - 1)^2, E Y = (1 - f) / f
    double norm2 = 0;
    double norm4 = 0;
    for (double x : X) {
      norm2 += x * x;
      norm4 += x * x * x * x;
    }
    double meanY = (1 - F) / F;
    double varY = kurtosisTerm - meanY * meanY;
    double sdOfRmse = Math.sqrt(varY * norm4 / (norm2 * norm2) / DRAWS);
    assertEquals(meanY, r.relativeMeanSquaredError(), 5 * sdOfRmse);

    // unbiased: every component within 5 standard errors
    assertTrue(r.maxStandardErrorsFromExact() < 5, r.toString());
    // E |mean - x|^2 / |x|^2 = (1 - f) / (f M); twice its square root is exceeded with P ~ 1e-4
    assertTrue(r.relativeErrorOfMean() < 2 * Math.sqrt(meanY / DRAWS), r.toString());
    assertTrue(r.relativeErrorOfMean() > 0);
  }

  @Test
  void aBiasedEstimatorIsFlagged() {
    // forgetting the 1/f scale: E g = f x
    RadDiagnostics.Report r = RadDiagnostics.measure(ctx -> sampledGradient(ctx, false), 1000, 42);
    assertTrue(r.maxStandardErrorsFromExact() > 20, r.toString());
    assertEquals(1 - F, r.relativeErrorOfMean(), 0.05);
  }

  @Test
  void drawsUseFreshSamplesAndAreReproducibleFromTheSeed() {
    RadDiagnostics.Report a = RadDiagnostics.measure(ctx -> sampledGradient(ctx, true), 50, 7);
    RadDiagnostics.Report b = RadDiagnostics.measure(ctx -> sampledGradient(ctx, true), 50, 7);
    RadDiagnostics.Report c = RadDiagnostics.measure(ctx -> sampledGradient(ctx, true), 50, 8);
    assertArrayEquals(a.mean(), b.mean());
    assertArrayEquals(a.variance(), b.variance());
    assertEquals(a.relativeMeanSquaredError(), b.relativeMeanSquaredError());
    assertNotEquals(a.mean()[0], c.mean()[0]);
    for (double v : a.variance()) {
      assertTrue(v > 0, "a context reused across draws draws a fresh sample per call");
    }
  }

  @Test
  void constantComponentsMustEqualTheExactValue() {
    // component 0 sampled, component 1 exact in every draw, component 2 constant but wrong
    RadDiagnostics.RandomizedGradient exactExtra = ctx -> {
      double[] g = sampledGradient(ctx, true);
      return new double[] {g[0], 5.0, 0};
    };
    RadDiagnostics.Report ok = RadDiagnostics.measure(exactExtra, 200, 1);
    assertEquals(0, ok.standardError()[1]);
    assertTrue(ok.maxStandardErrorsFromExact() < 5);
    RadDiagnostics.RandomizedGradient wrong = ctx -> {
      double[] g = sampledGradient(ctx, true);
      return new double[] {g[0], 5.0, ctx.isExact() ? 0 : 1e-3};
    };
    assertEquals(Double.POSITIVE_INFINITY, RadDiagnostics.measure(wrong, 200, 1).maxStandardErrorsFromExact());
    // rounding-level differences of a constant component are tolerated
    RadDiagnostics.RandomizedGradient rounding = ctx -> {
      double[] g = sampledGradient(ctx, true);
      return new double[] {g[0], ctx.isExact() ? 5.0 : 5.0 + 1e-15, 0};
    };
    assertTrue(RadDiagnostics.measure(rounding, 200, 1).maxStandardErrorsFromExact() < 5);
  }

  @Test
  void zeroExactGradient() {
    RadDiagnostics.Report zero = RadDiagnostics.measure(ctx -> new double[3], 10, 1);
    assertEquals(0, zero.relativeMeanSquaredError());
    assertEquals(0, zero.relativeErrorOfMean());
    assertEquals(0, zero.maxStandardErrorsFromExact());
    RadDiagnostics.Report noise = RadDiagnostics.measure(
        ctx -> new double[] {ctx.isExact() ? 0 : CounterRng.uniform(ctx.sampleSeed()) - 0.5}, 10, 1);
    assertEquals(Double.POSITIVE_INFINITY, noise.relativeMeanSquaredError());
    assertEquals(Double.POSITIVE_INFINITY, noise.relativeErrorOfMean());
  }

  @Test
  void rejectsTooFewDrawsAndMismatchedLengths() {
    assertThrows(IllegalArgumentException.class, () -> RadDiagnostics.measure(ctx -> new double[1], 1, 0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RadDiagnostics.measure(ctx -> new double[ctx.isExact() ? 2 : 3], 5, 0));
    assertTrue(e.getMessage().contains("3 components"), e.getMessage());
  }

  @Test
  void returnedArraysAreCopiesAndReusedGradientArraysAreFine() {
    double[] shared = new double[X.length];
    RadDiagnostics.Report r = RadDiagnostics.measure(ctx -> {
      System.arraycopy(sampledGradient(ctx, true), 0, shared, 0, X.length);
      return shared;
    }, 300, 3);
    assertArrayEquals(X, r.exact(), "the exact gradient was copied before the draws overwrote it");
    r.mean()[0] = 1e9;
    assertNotEquals(1e9, r.mean()[0]);
  }

  @Test
  void toStringShowsASummaryAndTheFirstParameters() {
    String s = RadDiagnostics.measure(ctx -> sampledGradient(ctx, true), 100, 42).toString();
    assertTrue(s.contains("10 parameters, 100 draws, seed 42"), s);
    assertTrue(s.contains("relative mean squared error"), s);
    assertTrue(s.contains("std error"), s);
    assertTrue(s.contains("... 2 more parameters"), s);
    assertEquals(4 + 1 + 8 + 1, s.split("\n").length, s);
  }
}
