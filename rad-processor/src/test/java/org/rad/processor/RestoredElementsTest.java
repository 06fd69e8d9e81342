package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.matrix;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.runtime.RadContext;

/**
 * An element overwrite that records gives the element back, in the reverse sweep, to every read
 * pending before it (PushPlanner.Restored): the accumulation that follows into the same element
 * ({@code h[0] = 0;} then {@code h[0] += w[j] * x[j]} over j, or {@code h[i] = b[i];} then {@code
 * h[i] += W[i][j] * x[j]}) records nothing for those reads, where it recorded the element at every
 * {@code +=} before (one double per input per unit and example). A read of the element between
 * the two (in the inner loop itself), a change of the index, or an element named through an
 * element read keep the records; the gradients match central differences either way.
 */
class RestoredElementsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Units {
        @Differentiable(wrt = "w")
        static double assignThenAccumulate(double[] w, double[][] xs) {
          double[] h = new double[1];
          double s = 0;
          for (int n = 0; n < xs.length; n++) {
            h[0] = 0;
            for (int j = 0; j < w.length; j++) {
              h[0] += w[j] * xs[n][j];
            }
            s += Math.sin(h[0]);
          }
          return s;
        }

        // a buffered dense layer: bias, then the inputs, then tanh in place
        @Differentiable(wrt = {"wt", "b"})
        static double layer(double[][] wt, double[] b, double[][] xs) {
          double[] h = new double[b.length];
          double s = 0;
          for (int n = 0; n < xs.length; n++) {
            for (int i = 0; i < b.length; i++) {
              h[i] = b[i];
              for (int j = 0; j < xs[n].length; j++) {
                h[i] += wt[i][j] * xs[n][j];
              }
              h[i] = Math.tanh(h[i]);
            }
            for (int i = 0; i < b.length; i++) {
              s += h[i] * h[i] * (i + 1);
            }
          }
          return s;
        }

        // the element is read between its restore and the accumulation: recorded
        @Differentiable(wrt = "w")
        static double readInBetween(double[] w) {
          double[] h = new double[1];
          double t = 0;
          for (int k = 0; k < 3; k++) {
            h[0] = w[k];
            for (int j = 0; j < w.length; j++) {
              t += Math.sin(h[0]) * w[j];
              h[0] += w[j] * w[k];
            }
          }
          return t + h[0] * h[0];
        }

        // the index moves between the two writes: a different element
        @Differentiable(wrt = "w")
        static double indexMoves(double[] w) {
          double[] h = new double[w.length + 1];
          double t = 0;
          int k = 0;
          for (int r = 0; r < 3; r++) {
            k = r % 2;
            h[k] = w[r];
            k = k + 1;
            h[k] += w[r] * w[0];
            t += h[0] * h[1] * h[k];
          }
          return t;
        }

        // found by a user-style test: the overwrite records a[0] (read before it), its partial
        // comes from its result, and the += after it must not be taken as given back by it
        @Differentiable(wrt = "x")
        static double resultThenAccumulate(double[] x) {
          double[] a = x.clone();
          double t = Math.sin(x[0]);
          double s = a[0] * a[0];
          a[0] = Math.tanh(t);
          a[0] += x[1];
          a[1] = Math.exp(a[1] * 0.5);
          a[1]++;
          a[2] = Math.sqrt(a[2] * a[2] + 1);
          a[2] -= x[0];
          t = 0;
          return s + a[0] * a[0] + a[1] * a[1] + a[2] * a[2] + t;
        }

        // the element's second overwrite in an iteration: the first one's record gives it back
        // to the reads of earlier iterations (v[i + 1] then) and, after its restore, to its own
        // (found by a user-style test: a dividend tree recorded both)
        @Differentiable(wrt = "p")
        static double overwrittenTwice(double[] p, int steps) {
          double[] v = new double[steps + 1];
          for (int i = 0; i <= steps; i++) {
            v[i] = i * 0.1;
          }
          for (int i = 0; i < steps; i++) {
            v[i] = p[0] * v[i + 1] + p[1] * v[i];
            v[i] = Math.max(v[i], 0.3 * p[0]);
          }
          double s = 0;
          for (int i = 0; i <= steps; i++) {
            s += v[i] * v[i];
          }
          return s;
        }

        // the element is named through another array: no fact
        @Differentiable(wrt = "w")
        static double throughAnIndexArray(double[] w, int[] at) {
          double[] h = new double[2];
          double t = 0;
          for (int r = 0; r < 3; r++) {
            h[at[r]] = w[r];
            at[r] = 1 - at[r];
            h[at[r]] += w[r] * w[1];
            t += Math.sin(h[0]) * h[1];
          }
          return t;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;
  static String generated;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Units", SOURCE);
    user = c.load("demo.Units");
    grad = c.load("demo.UnitsGrad");
    generated = c.generatedSource("demo.UnitsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("assignThenAccumulate", r -> new Object[] {vector(r, 5, -1, 1), matrix(r, 4, 5, -1, 1)}, 0),
        of("layer", r -> new Object[] {matrix(r, 3, 4, -1, 1), vector(r, 3, -1, 1), matrix(r, 5, 4, -1, 1)}, 0, 1),
        of("readInBetween", r -> new Object[] {vector(r, 4, -1, 1)}, 0),
        of("indexMoves", r -> new Object[] {vector(r, 3, -1, 1)}, 0),
        of("throughAnIndexArray", r -> new Object[] {vector(r, 3, -1, 1), new int[] {0, 1, 0}}, 0),
        of("resultThenAccumulate", r -> new Object[] {vector(r, 3, -1, 1)}, 0),
        of("overwrittenTwice", r -> new Object[] {vector(r, 2, 0.5, 1.5), 6}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  static String method(String name) {
    return Compiled.method(generated, name);
  }

  /**
   * Per example the tape holds h[0] once (its old value, read by the sine's partial of the example
   * before), not once per input as well: 8 bytes, where it was 8 (1 + D).
   */
  @Test
  void anAccumulationAfterARecordedOverwriteRecordsNothing() throws Exception {
    int d = 50;
    long ten = tape(10, d);
    long twenty = tape(20, d);
    assertEquals(10 * 8, twenty - ten);
    String forward = method("static double assignThenAccumulateForward");
    assertTrue(forward.contains("ctx.pushDouble(h[0]);\n      h[0] = 0.0;"), forward);
  }

  static long tape(int examples, int d) throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("assignThenAccumulate", double[].class, double[][].class, double[].class, RadContext.class)
        .invoke(null, new double[d], new double[examples][d], new double[d], ctx);
    return ctx.peakTapeBytes();
  }

  /**
   * In the layer, only the bias assignment records h[i]: one double per unit and example. (The
   * tanh in place takes its partial from its result, Plan.derivesFromResult, so the value before
   * it is not needed.)
   */
  @Test
  void aBufferedLayerRecordsOneValuePerUnit() {
    String forward = method("static double layerForward");
    int pushes = forward.split("ctx.pushDouble\\(h\\[", -1).length - 1;
    assertEquals(1, pushes, forward);
  }

  /** The second overwrite of v[i] records nothing: one pushDouble in the loop, the first's. */
  @Test
  void aSecondOverwriteOfTheElementRecordsNothing() {
    String forward = method("static double overwrittenTwiceForward");
    int pushes = forward.split("ctx.pushDouble\\(v\\[", -1).length - 1;
    assertEquals(1, pushes, forward);
  }
}
