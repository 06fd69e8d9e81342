package org.rad.processor;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.lang.reflect.Constructor;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Instance {@code @Differentiable} methods of a nested class ({@code Outer.Model} gives
 * {@code Outer_ModelGrad}): the generated methods take the receiver as {@code self} and read its
 * fields (scalars, arrays, a matrix) as constants; instance and static helpers are called.
 */
class InstanceMethodsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Outer {
        public static class Model {
          final double scale;
          final double[] weights;
          final double[][] coupling;
          final int n;
          boolean squared = true;

          public Model(double scale, double[] weights) {
            this.scale = scale;
            this.weights = weights;
            this.n = weights.length;
            this.coupling = new double[n][n];
            for (int i = 0; i < n; i++) {
              for (int j = 0; j < n; j++) {
                coupling[i][j] = 1.0 / (1 + i + j);
              }
            }
          }

          double term(double x) {
            return squared ? scale * x * x : scale * x;
          }

          static double shift(double x) {
            return x + 0.5;
          }

          @Differentiable
          double energy(double[] x) {
            double e = 0;
            for (int i = 0; i < n; i++) {
              e += weights[i] * term(x[i]) + this.scale * shift(x[i]);
              for (int j = 0; j < i; j++) {
                e += coupling[i][j] * x[i] * x[j];
              }
            }
            return e;
          }

          @Differentiable(wrt = "t")
          double scaled(double t, double[] x) {
            return this.energy(x) * t + term(t) * weights[0];
          }
        }
      }
      """;

  static Class<?> grad;
  static Constructor<?> model;

  @BeforeAll
  static void compile() throws Exception {
    Compiled compiled = Compiled.compile("demo.Outer", SOURCE);
    Class<?> user = compiled.load("demo.Outer$Model");
    grad = compiled.load("demo.Outer_ModelGrad");
    model = user.getConstructor(double.class, double[].class);
  }

  static Object newModel(SplittableRandom r) {
    try {
      return model.newInstance(r.nextDouble(0.5, 2), vector(r, 4, -1, 1));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("energy", r -> new Object[] {newModel(r), vector(r, 4, -1, 1)}, 1),
        of("scaled", r -> new Object[] {newModel(r), r.nextDouble(-1, 1), vector(r, 4, -1, 1)}, 1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradient(GradientCase c) throws Exception {
    c.check(model.getDeclaringClass(), grad);
  }
}
