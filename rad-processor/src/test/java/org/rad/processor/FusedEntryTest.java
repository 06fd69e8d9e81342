package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An entry without loops runs its forward and reverse sweeps in its own body, handing the values
 * the forward sweep ends with over in locals (GradClassWriter#fusedHandoff): each way its
 * adjoints leave the reverse sweep (a double parameter's adjoint returned, several pushed, a
 * written array's scratch adjoint), branches, helpers' arrays, a parameter assigned once (a new
 * variable in the IR), a local named as the entry's adjoint argument (renamed); and the entries
 * that must call their sweeps instead: one that assigns a parameter on a branch (both sweeps read
 * it), one with a loop. Gradients against central differences
 * (step 1e-6, tolerance 1e-6 relative to max(1, |g|)).
 */
class FusedEntryTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Fused {
        @Differentiable(wrt = "x")
        static double scalar(double x) {
          return Math.sin(x) * x / (1 + x * x);
        }

        @Differentiable(wrt = {"x", "y"})
        static double twoScalars(double x, double y) {
          double t = x * y;
          t = Math.tanh(t) + y;
          return t * t / (1 + x * x);
        }

        @Differentiable(wrt = {"x", "a"})
        static double mixed(double x, double[] a) {
          double[] h = new double[2];
          h[0] = Math.exp(x * a[0]);
          h[1] = h[0] * a[1];
          h[0] = Math.sin(h[1]);
          return h[0] * h[1] + x;
        }

        @Differentiable(wrt = "a")
        static double inPlace(double[] a) {
          a[0] = a[0] * a[1];
          a[1] = Math.exp(a[0]);
          return a[0] + a[1] * a[2];
        }

        @Differentiable(wrt = "a")
        static double writesAnother(double[] a, double[] b) {
          b[0] = a[0] * a[1];
          b[1] = Math.cos(b[0]);
          return b[0] * b[1];
        }

        static double[] pair(double[] a) {
          double[] p = new double[2];
          p[0] = a[0] * a[1];
          p[1] = Math.log(1 + a[0] * a[0]);
          return p;
        }

        @Differentiable(wrt = "a")
        static double helperArray(double[] a) {
          double[] p = pair(a);
          double[] q = pair(p);
          return p[0] * q[1] + q[0];
        }

        @Differentiable(wrt = "a")
        static double branches(double[] a) {
          double s = a[0] * a[1];
          if (s > 0) {
            s = Math.sqrt(s) * a[2];
          } else {
            s = s * s;
          }
          return s + a[0];
        }

        @Differentiable(wrt = {"x", "a"})
        static double assignsParameter(double x, double[] a) {
          x = x * a[0];
          return Math.sin(x) + a[1] * x;
        }

        @Differentiable(wrt = {"x", "a"})
        static double assignsInABranch(double x, double[] a) {
          if (a[0] > 0) {
            x = x * a[0];
          }
          return Math.sin(x) + a[1] * x;
        }

        @Differentiable(wrt = "a")
        static double withLoop(double[] a) {
          double s = 0;
          for (int i = 0; i < a.length; i++) {
            s += Math.sin(a[i]) * s + a[i];
          }
          return s;
        }

        @Differentiable(wrt = "a")
        static double localNamedAsTheAdjoint(double[] a) {
          double aBar = a[0] * a[1];
          return Math.exp(aBar) * a[1];
        }
      }
      """;

  static Compiled compiled;
  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    compiled = Compiled.compile("demo.Fused", SOURCE);
    user = compiled.load("demo.Fused");
    grad = compiled.load("demo.FusedGrad");
  }

  static Stream<GradientCase> cases() {
    return Stream.of(
        of("scalar", r -> new Object[] {r.nextDouble(-2, 2)}, 0),
        of("twoScalars", r -> new Object[] {r.nextDouble(-1, 1), r.nextDouble(-1, 1)}, 0, 1),
        of("mixed", r -> new Object[] {r.nextDouble(-1, 1), vector(r, 2, -1, 1)}, 0, 1),
        of("inPlace", r -> new Object[] {vector(r, 3, -1, 1)}, 0),
        of("writesAnother", r -> new Object[] {vector(r, 2, -1, 1), new double[2]}, 0),
        of("helperArray", r -> new Object[] {vector(r, 2, -1, 1)}, 0),
        of("branches", r -> new Object[] {vector(r, 3, -1, 1)}, 0),
        of("assignsParameter", r -> new Object[] {r.nextDouble(-1, 1), vector(r, 2, -1, 1)}, 0, 1),
        of("assignsInABranch", r -> new Object[] {r.nextDouble(-1, 1), vector(r, 2, -1, 1)}, 0, 1).points(8),
        of("withLoop", r -> new Object[] {vector(r, 4, -1, 1)}, 0),
        of("localNamedAsTheAdjoint", r -> new Object[] {vector(r, 2, -1, 1)}, 0));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }

  /** Whether the entry of {@code name} runs its sweeps in its body, not calling them. */
  static boolean fused(String name) {
    String entry = Compiled.method(compiled.generatedSource("demo.FusedGrad"), "public static double " + name);
    boolean calls = entry.contains(name + "Forward(") || entry.contains(name + "Reverse(");
    assertEquals(!calls, entry.contains("// the reverse sweep, as in " + name + "Reverse"), entry);
    return !calls;
  }

  @Test
  void entriesWithoutLoopsRunTheirSweepsInTheirBodies() {
    for (String name : new String[] {"scalar", "twoScalars", "mixed", "inPlace", "writesAnother", "helperArray", "branches",
        "localNamedAsTheAdjoint", "assignsParameter"}) {
      assertTrue(fused(name), name);
    }
  }

  @Test
  void entriesThatMustNotCallTheirSweeps() {
    assertFalse(fused("assignsInABranch"));
    assertFalse(fused("withLoop"));
  }

  /** A variable of the sweeps named as something the entry has in scope is renamed in its block. */
  @Test
  void namesTheEntryHasAreRenamed() {
    String entry = Compiled.method(compiled.generatedSource("demo.FusedGrad"), "public static double localNamedAsTheAdjoint");
    assertFalse(entry.contains("double aBar ="), entry);
    String scalar = Compiled.method(compiled.generatedSource("demo.FusedGrad"), "public static double scalar");
    assertTrue(scalar.contains("xBar[0] += xBar2;"), scalar);
  }
}
