package org.rad.processor;

import static com.google.common.truth.Truth.assertThat;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.Constructor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fields of the receiver and of the class, read as constants: private ones (through a
 * {@code VarHandle} of the generated class), inherited ones (protected in a superclass of another
 * package, through a handle too; package-private in the same package, directly), {@code this.x},
 * and private static ones.
 */
class ReceiverFieldsTest {
  static Class<?> user;
  static Class<?> grad;
  static Compiled compiled;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile(
        JavaFileObjects.forSourceString("other.Base", """
            package other;
            public class Base {
              protected double gain = 1.5;
              protected static double bias = 0.25;
              protected double[] tilt = {0.5, -1.0, 2.0};
            }
            """),
        JavaFileObjects.forSourceString("demo.Middle", """
            package demo;
            public class Middle extends other.Base {
              double near = 0.75;
            }
            """),
        JavaFileObjects.forSourceString("demo.Model", """
            package demo;
            import org.rad.annotations.Differentiable;
            public class Model extends Middle {
              private final double scale;
              private final double[] weights;
              private static double offset = 0.7;
              private static final double[] TABLE = {1.0, 2.0, 3.0};

              public Model(double scale, double[] weights) {
                this.scale = scale;
                this.weights = weights;
              }

              @Differentiable
              double privateFields(double[] x) {
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                  s += scale * weights[i] * x[i] * x[i];
                }
                return s;
              }

              @Differentiable
              double thisFields(double[] x) {
                double s = this.scale;
                for (int i = 0; i < this.weights.length; i++) {
                  s += Math.sin(this.weights[i] * x[i]) * this.near;
                }
                return s;
              }

              @Differentiable
              double inherited(double[] x) {
                double s = near * x[0];
                for (int i = 0; i < tilt.length; i++) {
                  s += gain * tilt[i] * x[i] * x[i] + bias * this.tilt[i];
                }
                return s;
              }

              @Differentiable
              static double privateStatic(double[] x) {
                double s = offset;
                for (int i = 0; i < x.length; i++) {
                  s += TABLE[i] * Math.exp(offset * x[i]);
                }
                return s;
              }
            }
            """));
    user = compiled.load("demo.Model");
    grad = compiled.load("demo.ModelGrad");
  }

  private static Object newModel(SplittableRandom r) {
    try {
      Constructor<?> c = user.getConstructor(double.class, double[].class);
      return c.newInstance(r.nextDouble(0.5, 2), vector(r, 3, -1, 1));
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void privateInstanceFields() {
    of("privateFields", r -> new Object[] {newModel(r), vector(r, 3, -1, 1)}, 1).check(user, grad);
  }

  @Test
  void thisDotField() {
    of("thisFields", r -> new Object[] {newModel(r), vector(r, 3, -1, 1)}, 1).check(user, grad);
  }

  @Test
  void inheritedFields() {
    of("inherited", r -> new Object[] {newModel(r), vector(r, 3, -1, 1)}, 1).check(user, grad);
  }

  @Test
  void privateStaticFields() {
    of("privateStatic", r -> new Object[] {vector(r, 3, -1, 1)}, 0).check(user, grad);
  }

  @Test
  void handlesOnlyForWhatTheGeneratedClassCannotName() {
    String source = compiled.generatedSource("demo.ModelGrad");
    assertThat(source).contains("private static final VarHandle SCALE_FIELD");
    assertThat(source).contains("private static final VarHandle GAIN_FIELD");
    assertThat(source).contains("private static final VarHandle OFFSET_FIELD");
    assertThat(source).contains("self.near"); // package-private, same package: read directly
    assertThat(source).doesNotContain("NEAR_FIELD");
  }
}
