package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.rad.processor.Compiled;
import org.rad.processor.GradientCase;

/**
 * Found by an independent random-program fuzzer: {@code h[i] = Math.tanh(x[i] + B[i])} with
 * {@code B} a static final array crashed the processor ([RadInternal], a NullPointerException):
 * asking whether tanh's argument is linear in h looked up the alias class of {@code B[i]}'s root
 * variable, which a field array does not have, and the null it added to the classes failed every
 * later walk of them. The class of no variable is now a class no variable is in, and nothing is
 * added. Gradients against central differences (step 1e-6, tolerance 1e-6 relative to max(1, |g|)).
 */
class FieldArrayInAResultPartialTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Fields {
        static final double[] B = {0.5, -0.25, 0.1};
        static final double[][] W = {{0.5, -0.25}, {0.1, 0.3}};

        @Differentiable
        static double tanhLayer(double[] x) {
          double[] h = new double[3];
          for (int i = 0; i < 3; i++) h[i] = Math.tanh(x[i] + B[i]);
          double r = 0;
          for (int i = 0; i < 3; i++) r += h[i];
          return r;
        }

        @Differentiable
        static double inPlace(double[] x) {
          double[] h = x.clone();
          for (int i = 0; i < 3; i++) h[i] = Math.exp(h[i] - B[i]);
          for (int i = 0; i < 2; i++) h[i] = Math.sqrt(h[i] + W[i][1]);
          return h[0] * h[1] + h[2];
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Fields", SOURCE);
    user = c.load("demo.Fields");
    grad = c.load("demo.FieldsGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("tanhLayer", r -> new Object[] {vector(r, 3, -1, 1)}, 0),
        of("inPlace", r -> new Object[] {vector(r, 3, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
