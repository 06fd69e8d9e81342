package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;
import org.rad.runtime.RadDiagnostics;

/**
 * Loop fission of row records (transform.RecordFission): a loop over rows whose inner loop
 * overwrites its row, whose old values the reverse sweep needs, takes the records of every row
 * in a loop of its own before the loop, where that leaves the tape as it was: rows of fresh
 * matrices (analysis.DistinctRows), row references into them, and a flat array whose slices are
 * checked at run time to be no longer than their stride. Where rows are shared at run time (a
 * shallow {@code clone()} of a matrix) or the flat slices overlap, the records stay between the rows, and the
 * gradient is that of the code as written either way.
 */
class RecordFissionTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Fields {
        // two buffers swapped each step; the reaction term reads the old field, so the
        // overwritten values must be recorded
        @Differentiable(wrt = "theta")
        static double rows(double[] theta, int n, int steps) {
          double[][] phi = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              phi[i][j] = Math.sin(i + 2 * j);
            }
          }
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                next[i][j] = phi[i][j] + 0.1 * (phi[i + 1][j] + phi[i - 1][j] - 2 * phi[i][j])
                    + theta[0] * phi[i][j] * phi[i][j] * theta[1];
              }
            }
            double[][] t = phi;
            phi = next;
            next = t;
          }
          return sumOfSquares(phi);
        }

        // the same with row references and a scalar temporary
        @Differentiable(wrt = "theta")
        static double rowReferences(double[] theta, int n, int steps) {
          double[][] phi = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              phi[i][j] = Math.sin(i + 2 * j);
            }
          }
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < n - 1; i++) {
              double[] up = phi[i + 1];
              double[] mid = phi[i];
              double[] down = phi[i - 1];
              double[] out = next[i];
              double reaction = theta[0] * Math.sin(i) + theta[1];
              for (int j = 1; j < n - 1; j++) {
                double p = mid[j];
                out[j] = p + 0.1 * (up[j] + down[j] - 2 * p) + reaction * p * mid[j + 1];
              }
            }
            double[][] t = phi;
            phi = next;
            next = t;
          }
          return sumOfSquares(phi);
        }

        // the caller's scratch matrix, whose rows may be one array
        @Differentiable(wrt = "theta")
        static double sharedRows(double[] theta, double[][] scratch, int steps) {
          int n = scratch.length;
          double[][] phi = new double[n][n];
          double[][] next = scratch;
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              phi[i][j] = Math.sin(i + 2 * j);
            }
          }
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                next[i][j] = phi[i][j] + 0.1 * (phi[i + 1][j] + phi[i - 1][j] - 2 * phi[i][j])
                    + theta[0] * phi[i][j] * phi[i][j] * theta[1];
              }
            }
            double[][] t = phi;
            phi = next;
            next = t;
          }
          return sumOfSquares(phi);
        }

        // a flat field, row i at i * w: rows overlap when w < n - 2, and then row i + 1 reads
        // (and its record keeps) what row i wrote
        @Differentiable(wrt = "theta")
        static double flat(double[] theta, int n, int w, int steps) {
          double[] phi = new double[n * w + n];
          double[] next = new double[n * w + n];
          for (int x = 0; x < phi.length; x++) {
            phi[x] = Math.sin(x);
          }
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                next[i * w + j] = phi[i * w + j] + 0.1 * next[i * w + j] * phi[i * w + j + 1]
                    + theta[0] * phi[i * w + j] * phi[i * w + j] * theta[1];
              }
            }
            double[] t = phi;
            phi = next;
            next = t;
          }
          double s = 0;
          for (int x = 0; x < phi.length; x++) {
            s += phi[x] * phi[x];
          }
          return s;
        }

        // the shapes around the one the reactor has: a triangular row, rows visited downwards
        // and two at a time, the row one below the index through a chain of locals, and a read
        // of the row the previous iteration wrote
        @Differentiable(wrt = "theta")
        static double shapes(double[] theta, int n, int steps) {
          double[][] phi = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              phi[i][j] = Math.cos(i - j) + 0.5;
            }
          }
          for (int k = 0; k < steps; k++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = i; j < n - 1; j++) {
                next[i][j] = phi[i][j] * phi[i][j] * theta[0] + phi[i - 1][j] * 0.5;
              }
            }
            for (int i = n - 2; i >= 1; i -= 2) {
              for (int j = 1; j < n - 1; j++) {
                phi[i][j] = next[i][j] * next[i][j] * theta[1] + phi[i][j] * 0.25;
              }
            }
            for (int i = 0; i < n - 2; i++) {
              int below = i + 1;
              double[] out = next[below];
              double[] above = next[i];
              for (int j = 1; j < n - 1; j++) {
                out[j] = above[j] * phi[below][j] * theta[0] + out[j] * 0.1;
              }
            }
          }
          return sumOfSquares(phi) + sumOfSquares(next);
        }

        // a damped wave with three rotating buffers and row references, the field randomized:
        // the sampled row records are taken before each step's rows as well
        @Differentiable(wrt = "c")
        static double wave(double[] c, int n, int steps) {
          @org.rad.annotations.Randomize(fraction = 0.2)
          double[][] u = new double[n][n];
          double[][] prev = new double[n][n];
          double[][] next = new double[n][n];
          for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
              u[i][j] = Math.sin(0.3 * i) * Math.cos(0.2 * j);
              prev[i][j] = u[i][j];
            }
          }
          for (int s = 0; s < steps; s++) {
            for (int i = 1; i < n - 1; i++) {
              double[] up = u[i - 1];
              double[] mid = u[i];
              double[] down = u[i + 1];
              double[] old = prev[i];
              double[] out = next[i];
              for (int j = 1; j < n - 1; j++) {
                double lap = up[j] + down[j] + mid[j - 1] + mid[j + 1] - 4 * mid[j];
                out[j] = 2 * mid[j] - old[j] + c[0] * lap - c[1] * mid[j];
              }
            }
            double[][] t = prev;
            prev = u;
            u = next;
            next = t;
          }
          return sumOfSquares(u);
        }

        // the same on a flat array, rows w apart: the sampled slices are taken first as strided rows
        @Differentiable(wrt = "c")
        static double flatWave(double[] c, int n, int steps) {
          int w = n + 1;
          @org.rad.annotations.Randomize(fraction = 0.2)
          double[] phi = new double[n * w];
          double[] next = new double[n * w];
          for (int x = 0; x < phi.length; x++) {
            phi[x] = Math.sin(0.1 * x);
          }
          for (int s = 0; s < steps; s++) {
            for (int i = 1; i < n - 1; i++) {
              for (int j = 1; j < n - 1; j++) {
                next[i * w + j] = phi[i * w + j] + c[0] * (phi[i * w + j + 1] + phi[i * w + j - 1] - 2 * phi[i * w + j])
                    - c[1] * phi[i * w + j];
              }
            }
            double[] t = phi;
            phi = next;
            next = t;
          }
          double sum = 0;
          for (int x = 0; x < phi.length; x++) {
            sum += phi[x] * phi[x];
          }
          return sum;
        }

        static double sumOfSquares(double[][] m) {
          double s = 0;
          for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[i].length; j++) {
              s += m[i][j] * m[i][j];
            }
          }
          return s;
        }
      }
      """;

  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Fields", SOURCE);
    user = compiled.load("demo.Fields");
    grad = compiled.load("demo.FieldsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("rows", r -> new Object[] {vector(r, 2, -0.5, 0.5), 6, 4}, 0),
        of("rowReferences", r -> new Object[] {vector(r, 2, -0.5, 0.5), 6, 4}, 0),
        of("shapes", r -> new Object[] {vector(r, 2, -0.5, 0.5), 7, 3}, 0),
        of("wave", r -> new Object[] {vector(r, 2, 0.02, 0.12), 8, 6}, 0),
        of("flat", r -> new Object[] {vector(r, 2, -0.5, 0.5), 6, 6, 4}, 0),
        of("flat", r -> new Object[] {vector(r, 2, -0.5, 0.5), 6, 4, 4}, 0),
        of("flat", r -> new Object[] {vector(r, 2, -0.5, 0.5), 6, 2, 4}, 0));
  }

  /** w = 6 and 4: disjoint slices, records taken first; w = 2: overlapping slices, the loop as written. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * Rows 1 and 2 of the caller's matrix are one array. The method writes into the matrix, whose
   * rows its records take as distinct objects (checked when it starts, so its row records may be
   * taken first): such a matrix is refused with an IllegalArgumentException, never given a wrong
   * gradient. With distinct rows: central differences, each evaluation on a new matrix, agreement
   * to 1e-6 (relative to max(1, |g|)) at five points.
   */
  @Test
  void rowsSharedAtRunTimeAreRefused() throws Exception {
    java.lang.reflect.Method f = user.getDeclaredMethod("sharedRows", double[].class, double[][].class, int.class);
    java.lang.reflect.Method g = grad.getDeclaredMethod("sharedRows", double[].class, double[][].class, int.class,
        double[].class);
    f.setAccessible(true);
    g.setAccessible(true);
    java.lang.reflect.InvocationTargetException refused = org.junit.jupiter.api.Assertions.assertThrows(
        java.lang.reflect.InvocationTargetException.class,
        () -> g.invoke(null, new double[] {0.1, 0.2}, sharedRowsMatrix(), 4, new double[2]));
    assertTrue(refused.getCause() instanceof IllegalArgumentException
        && refused.getCause().getMessage().contains("two rows of scratch are one array"), String.valueOf(refused.getCause()));
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    for (int point = 0; point < 5; point++) {
      double[] theta = vector(random, 2, -0.5, 0.5);
      double[] thetaBar = new double[2];
      g.invoke(null, theta.clone(), new double[6][6], 4, thetaBar);
      for (int k = 0; k < 2; k++) {
        double h = 1e-6;
        double[] up = theta.clone();
        double[] down = theta.clone();
        up[k] += h;
        down[k] -= h;
        double fd = ((double) f.invoke(null, up, new double[6][6], 4) - (double) f.invoke(null, down, new double[6][6], 4))
            / (2 * h);
        assertTrue(Math.abs(fd - thetaBar[k]) <= 1e-6 * Math.max(1, Math.abs(fd)), "d/dtheta" + k + ": " + thetaBar[k] + " vs " + fd);
      }
    }
  }

  static double[][] sharedRowsMatrix() {
    double[][] m = new double[6][6];
    m[2] = m[1];
    return m;
  }

  /**
   * The randomized wave: its sampled row records are taken first too, in one call, and the
   * randomized gradient stays unbiased ({@link #assertUnbiased}).
   */
  @Test
  void randomizedRowRecordsTakenFirstStayUnbiased() throws Exception {
    assertEquals(1, recordLoops("wave"), forward("wave"));
    // the loop of sampled row records is one call, which draws the rows' samples together
    assertTrue(forward("wave").contains("ctx.pushSampledRows("), forward("wave"));
    assertUnbiased("wave");
  }

  /**
   * The randomized flat wave: its sampled slices, rows w apart, are taken first in one strided call
   * (behind the run-time check that they are disjoint), and the gradient stays unbiased, as the
   * wave's; its exact gradient against central differences too.
   */
  @Test
  void randomizedFlatSlicesTakenFirstStayUnbiased() throws Exception {
    assertTrue(forward("flatWave").contains("ctx.pushSampledStrided("), forward("flatWave"));
    assertTrue(forward("flatWave").contains("if (n - 1 - 1 <= w) {"), forward("flatWave"));
    java.lang.reflect.Method f = user.getDeclaredMethod("flatWave", double[].class, int.class, int.class);
    f.setAccessible(true);
    double[] c = {0.1, 0.05};
    double[] exact = new double[2];
    waveGradient("flatWave").invoke(null, c, 10, 20, exact, RadContext.exact());
    for (int k = 0; k < 2; k++) {
      double h = 1e-6;
      double[] up = c.clone();
      double[] down = c.clone();
      up[k] += h;
      down[k] -= h;
      double fd = ((double) f.invoke(null, up, 10, 20) - (double) f.invoke(null, down, 10, 20)) / (2 * h);
      assertTrue(Math.abs(fd - exact[k]) <= 1e-6 * Math.max(1, Math.abs(fd)), "d/dc" + k + ": " + exact[k] + " vs " + fd);
    }
    assertUnbiased("flatWave");
  }

  private static java.lang.reflect.Method waveGradient(String method) throws NoSuchMethodException {
    java.lang.reflect.Method g = grad.getDeclaredMethod(method, double[].class, int.class, int.class, double[].class,
        RadContext.class);
    g.setAccessible(true);
    return g;
  }

  /**
   * The randomized gradient of a wave (c = (0.1, 0.05), n = 10, 20 steps) is unbiased: seeded
   * (draws of RadContext.seeded(17)), 20,000 draws, each component's mean within 4 standard errors
   * of the exact gradient (a false alarm has probability about 1e-4 for normal errors).
   */
  private static void assertUnbiased(String method) throws NoSuchMethodException {
    java.lang.reflect.Method g = waveGradient(method);
    double[] c = {0.1, 0.05};
    RadDiagnostics.Report r = RadDiagnostics.measure(ctx -> {
      double[] cBar = new double[2];
      try {
        g.invoke(null, c, 10, 20, cBar, ctx);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
      return cBar;
    }, 20_000, 17, RadContext.seeded(17));
    assertTrue(r.maxStandardErrorsFromExact() <= 4, method + ": " + r);
    assertTrue(java.util.Arrays.stream(r.variance()).sum() > 0, method + ": nothing was sampled");
  }

  @Test
  void rowsOfFreshMatricesAreRecordedBeforeTheLoop() {
    assertTrue(recordsFirst("rows"), forward("rows"));
    assertTrue(recordsFirst("rowReferences"), forward("rowReferences"));
    assertEquals(3, recordLoops("shapes"), forward("shapes"));
  }

  @Test
  void flatSlicesAreCheckedAtRunTime() {
    assertTrue(recordsFirst("flat"), forward("flat"));
    // the slices j = 1 .. n - 2 of rows w apart: disjoint when n - 1 - 1 <= w
    assertTrue(forward("flat").contains("if (n - 1 - 1 <= w) {"), forward("flat"));
  }

  /** The forward sweep of {@code method} in the generated source. */
  static String forward(String method) {
    String source = compiled.generatedSource("demo.FieldsGrad");
    int start = source.indexOf("static double " + method + "Forward(");
    return source.substring(start, source.indexOf("\n  }\n", start));
  }

  /** Whether a loop of {@code method}'s forward sweep holds nothing but a row record (and the locals it reads). */
  static boolean recordsFirst(String method) {
    return recordLoops(method) > 0;
  }

  /**
   * The loops of {@code method}'s forward sweep that hold nothing but a row record (and the locals it
   * reads), and the calls that take such a loop's sampled row records at once.
   */
  static int recordLoops(String method) {
    Matcher m = Pattern.compile("for \\([^)]*\\) \\{\\n(\\s+\\w+ = [^;]*;\\n)*\\s+ctx\\.push(Doubles|SampledRange)(Shifted)?\\([^;]*;\\n\\s+\\}")
        .matcher(forward(method));
    int loops = 0;
    while (m.find()) {
      loops++;
    }
    Matcher rows = Pattern.compile("ctx\\.pushSampledRows\\(").matcher(forward(method));
    while (rows.find()) {
      loops++;
    }
    return loops;
  }
}
