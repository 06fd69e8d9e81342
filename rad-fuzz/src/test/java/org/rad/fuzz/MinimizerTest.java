package org.rad.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The minimizer keeps the failure and removes what does not cause it. */
class MinimizerTest {
  static final String SOURCE = """
      package fz;

      public class P0 {
        static double s0(double x0) {
          return x0 * 2;
        }

        @Differentiable(wrt = {"x0"})
        static double f(double x0, double[] v0) {
          double d1 = x0 + 1;
          for (int i2 = 0; i2 < v0.length; i2++) {
            if (d1 > 0.3) {
              d1 += BAD(v0[i2]);
            } else {
              d1 -= 1;
            }
          }
          double d3 = s0(d1) + 2;
          return d1 + d3;
        }
      }
      """;

  /** A stand-in for compile-and-check: a program "fails" when it compiles (balanced) and contains BAD. */
  static List<Verdict> evaluate(List<Program> ps) {
    return ps.stream().map(p -> {
      boolean balanced = p.source().chars().filter(c -> c == '{').count() == p.source().chars().filter(c -> c == '}').count();
      boolean returns = p.source().contains("return d1");
      Outcome o = balanced && returns && p.source().contains("BAD") ? Outcome.WRONG_GRADIENT : Outcome.PASS;
      return Verdict.of(p, o, "");
    }).toList();
  }

  @Test
  void shrinksToTheFailingStatement() {
    Program p = new Program("P0", 1, SOURCE, List.of(), 2, 2, false, false);
    Verdict m = new Minimizer(MinimizerTest::evaluate, 50).minimize(Verdict.of(p, Outcome.WRONG_GRADIENT, ""));
    String s = m.program().source();
    assertEquals(Outcome.WRONG_GRADIENT, m.outcome());
    assertTrue(s.contains("BAD"), s);
    assertFalse(s.contains("s0("), s);
    assertFalse(s.contains("else"), s);
    assertFalse(s.contains("d3"), s);
    assertTrue(s.length() < SOURCE.length() / 2, s);
  }

  @Test
  void mergeAppliesNonOverlappingReductionsTogether() {
    String base = "a\nb\nc\nd\ne";
    String merged = Minimizer.merge(base, List.of("a\nc\nd\ne", "a\nb\nc\nD\ne", "a\nb\nX\ne"), "P0");
    assertEquals("a\nc\nD\ne", merged); // the third overlaps the second (lines c..d) and is left out
  }

  @Test
  void expressionVariantsShrinkSubexpressions() {
    List<String> vs = Minimizer.expressionVariants("    double d = (x0 * Math.sin(x0 + 1.0)) + 2.0;");
    assertTrue(vs.contains("    double d = 0.5 + 2.0;"), vs.toString());
    assertTrue(vs.contains("    double d = (x0 * (x0 + 1.0)) + 2.0;"), vs.toString());
  }

  @Test
  void variantsDeleteStatementsAndBlocks() {
    List<String> vs = Minimizer.variants(SOURCE);
    assertTrue(vs.stream().anyMatch(v -> !v.contains("static double s0")), "a helper can go");
    assertTrue(vs.stream().anyMatch(v -> !v.contains("for (") && v.contains("BAD")), "a loop can be unwrapped");
    assertTrue(vs.stream().allMatch(v -> v.contains("@Differentiable")), "the entry stays");
  }
}
