package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.JavaFileObjects;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;
import org.rad.runtime.RadContext;

/**
 * Found by a user-style test: an instance method's gradient differentiates the bodies its class
 * declares, so called with a subclass that overrides a helper ({@code act}) it returned the value
 * and gradient of the base class's code, silently. The entry now checks its receiver's class
 * (once per class) and throws an IllegalArgumentException naming the override; a subclass that
 * overrides nothing it runs gets the gradient, and a final helper, or a final class, needs no
 * check.
 */
class OverriddenHelperTest {
  static final String BASE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Base {
        double act(double z) {
          return z * z;
        }

        final double scale(double z) {
          return 2 * z;
        }

        @Differentiable(wrt = "x")
        public double f(double[] x) {
          return act(x[0]) + scale(x[1]);
        }

        @Differentiable(wrt = "x")
        public final double g(double[] x) {
          return scale(x[0]) * x[1];
        }
      }
      """;
  static final String SUBS = """
      package demo;
      public class Subs {
        public static class Overriding extends Base {
          @Override
          double act(double z) {
            return 3 * z;
          }
        }

        public static class Plain extends Base {
          double other(double z) {
            return z;
          }
        }
      }
      """;

  static Compiled compiled;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile(JavaFileObjects.forSourceString("demo.Base", BASE),
        JavaFileObjects.forSourceString("demo.Subs", SUBS));
    grad = compiled.load("demo.BaseGrad");
  }

  static double f(Object self, double[] x, double[] xBar) throws Exception {
    Method m = grad.getMethod("f", compiled.load("demo.Base"), double[].class, double[].class, RadContext.class);
    try {
      return (double) m.invoke(null, self, x, xBar, RadContext.exact());
    } catch (InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  @Test
  void aSubclassThatOverridesAHelperIsRefused() throws Exception {
    Object overriding = compiled.load("demo.Subs$Overriding").getDeclaredConstructor().newInstance();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> f(overriding, new double[] {2, 1}, new double[2]));
    assertTrue(e.getMessage().contains("overrides act"), e.getMessage());
  }

  @Test
  void aSubclassThatOverridesNothingItRunsGetsTheGradient() throws Exception {
    for (String cls : new String[] {"demo.Base", "demo.Subs$Plain"}) {
      Object self = compiled.load(cls).getDeclaredConstructor().newInstance();
      double[] xBar = new double[2];
      assertEquals(4 + 2, f(self, new double[] {2, 1}, xBar), 0);
      assertEquals(4, xBar[0], 1e-12); // d(x0^2)/dx0 at 2
      assertEquals(2, xBar[1], 1e-12);
    }
  }

  @Test
  void finalMethodsNeedNoCheck() {
    String source = compiled.generatedSource("demo.BaseGrad");
    assertTrue(source.contains("new Overrides.Method(\"act\", double.class)"), source);
    assertFalse(source.contains("new Overrides.Method(\"scale\""), source);
    assertFalse(source.contains("OVERRIDES_G"), source);
  }
}
