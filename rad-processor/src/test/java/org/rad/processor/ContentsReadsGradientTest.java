package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * A call's reverse sweep is taken to read only the contents of the array arguments whose contents
 * the callee's reverse sweep reads (ClassDifferentiator.learnContentsReads): an array a helper only
 * accumulates into ({@code forces(pos, mass, acc)}, which zeroes {@code acc} and adds into it) is
 * then neither recorded in the helper nor before the call, where every old value of its elements
 * was recorded before. Where the callee's reverse does read an argument (non-linearly, or through
 * a further helper), or the caller's own reverse reads it between two calls, the records stay; an
 * instance helper's arguments are counted after its receiver.
 */
class ContentsReadsGradientTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Bodies {
        final double scale;

        public Bodies(double scale) {
          this.scale = scale;
        }

        // zeroes acc and accumulates into it: its reverse reads pos and mass, never acc
        static void forces(double[][] pos, double[] mass, double[][] acc) {
          int n = pos.length;
          for (int i = 0; i < n; i++) {
            acc[i][0] = 0;
            acc[i][1] = 0;
          }
          for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
              double dx = pos[j][0] - pos[i][0];
              double dy = pos[j][1] - pos[i][1];
              double r2 = dx * dx + dy * dy + 0.25;
              double inv = 1 / (r2 * Math.sqrt(r2));
              acc[i][0] += mass[j] * dx * inv;
              acc[i][1] += mass[j] * dy * inv;
              acc[j][0] -= mass[i] * dx * inv;
              acc[j][1] -= mass[i] * dy * inv;
            }
          }
        }

        @Differentiable(wrt = {"v0", "mass"})
        static double orbit(double[][] v0, double[] mass, int steps, double dt) {
          int n = mass.length;
          double[][] pos = new double[n][2];
          double[][] vel = new double[n][2];
          double[][] acc = new double[n][2];
          for (int i = 0; i < n; i++) {
            pos[i][0] = Math.cos(i);
            pos[i][1] = Math.sin(i);
            vel[i][0] = v0[i][0];
            vel[i][1] = v0[i][1];
          }
          for (int s = 0; s < steps; s++) {
            forces(pos, mass, acc);
            for (int i = 0; i < n; i++) {
              vel[i][0] += dt * acc[i][0];
              vel[i][1] += dt * acc[i][1];
              pos[i][0] += dt * vel[i][0];
              pos[i][1] += dt * vel[i][1];
            }
          }
          return pos[0][0] * pos[0][0] + pos[0][1];
        }

        // like forces (a helper of its own: a helper gives an argument back for all its callers
        // when one needs it)
        static void pull(double[][] pos, double[] mass, double[][] acc) {
          for (int i = 0; i < pos.length; i++) {
            acc[i][0] = 0;
            acc[i][1] = 0;
            for (int j = 0; j < pos.length; j++) {
              double dx = pos[j][0] - pos[i][0];
              double dy = pos[j][1] - pos[i][1];
              double w = mass[j] / (1 + dx * dx + dy * dy);
              acc[i][0] += w * dx;
              acc[i][1] += w * dy;
            }
          }
        }

        // the caller's own reverse reads acc between two calls (a product): pull gives it back
        @Differentiable(wrt = "mass")
        static double readBetweenCalls(double[] mass, int steps) {
          int n = mass.length;
          double[][] pos = new double[n][2];
          double[][] acc = new double[n][2];
          for (int i = 0; i < n; i++) {
            pos[i][0] = i;
            pos[i][1] = 0.5 * i * i;
          }
          double s = 0;
          for (int k = 0; k < steps; k++) {
            pull(pos, mass, acc);
            s += acc[0][0] * acc[1][1];
            pos[1][0] += 0.1 * acc[1][0];
          }
          return s;
        }

        // its reverse reads out (the product of out with itself)
        static void square(double[] out, double x) {
          for (int i = 0; i < out.length; i++) {
            out[i] = out[i] * out[i] * x;
          }
        }

        // passes out on to square: its reverse reads out through square's
        static void squareTwice(double[] out, double x) {
          square(out, x);
          square(out, 0.5);
        }

        @Differentiable(wrt = {"a", "x"})
        static double readThroughAHelper(double[] a, double x) {
          double[] t = a.clone();
          for (int k = 0; k < 3; k++) {
            squareTwice(t, x);
          }
          double s = 0;
          for (double v : t) {
            s += v;
          }
          return s;
        }

        // an instance helper whose reverse reads x (its first parameter, after the receiver) and not out
        void addSquares(double[] x, double[] out) {
          for (int i = 0; i < out.length; i++) {
            out[i] += scale * x[i] * x[i];
          }
        }

        // x is overwritten after each call by a value that does not read it: its old values are
        // recorded for addSquares's reverse alone
        @Differentiable(wrt = "a")
        double instanceHelper(double[] a) {
          double[] x = a.clone();
          double[] out = new double[a.length];
          for (int k = 0; k < 4; k++) {
            addSquares(x, out);
            for (int i = 0; i < x.length; i++) {
              x[i] = a[i] * (k + 1) + out[i] * 0.1;
            }
          }
          return out[0] + x[1];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Bodies", SOURCE);
    user = c.load("demo.Bodies");
    grad = c.load("demo.BodiesGrad");
  }

  static Stream<GradientCase> cases() throws Exception {
    Object receiver = user.getDeclaredConstructor(double.class).newInstance(0.7);
    return Stream.of(
        of("orbit", r -> new Object[] {matrix(r, 4, 2, -0.5, 0.5), vector(r, 4, 0.5, 1.5), 30, 0.01}, 0, 1),
        of("readBetweenCalls", r -> new Object[] {vector(r, 3, 0.5, 1.5), 4}, 0),
        of("readThroughAHelper", r -> new Object[] {vector(r, 3, 0.5, 1.0), r.nextDouble(0.5, 1.0)}, 0, 1),
        of("instanceHelper", r -> new Object[] {receiver, vector(r, 3, -1, 1)}, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /**
   * orbit's tape grows by the old positions alone, 2 n doubles per step (the next step's forces
   * read them). Recording acc's old values, in forces and before each call, took another
   * 2 n + 4 n (n - 1) / 2 = 2 n^2 doubles per step (32 at n = 4, against 8).
   */
  @Test
  void anAccumulatedOutputIsNotRecorded() throws Exception {
    int n = 4;
    assertEquals(8L * 2 * n * 30, orbitTape(n, 60) - orbitTape(n, 30));
  }

  static long orbitTape(int n, int steps) throws Exception {
    RadContext ctx = RadContext.exact();
    grad.getDeclaredMethod("orbit", double[][].class, double[].class, int.class, double.class, double[][].class,
            double[].class, RadContext.class)
        .invoke(null, new double[n][2], new double[] {1, 1, 1, 1}, steps, 0.01, new double[n][2], new double[n],
            ctx);
    return ctx.peakTapeBytes();
  }
}
