package org.rad.processor.bugs;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found by the fuzzer (seed 2027, program 881) in this session's own change: a declaration read
 * by a counter the reverse sweep undoes ({@code int cnt = k8 > 1 ? n : n - 1;} in a while loop
 * over {@code k8++}) was recomputed late, at its reader, an inner for loop. The planner does not
 * see the reads of a recomputation placed at a loop (they stand for the loop's body), so it left
 * {@code k8++} without its undo; the recomputation read the final counter, the inner loop ran
 * too often in the reverse sweep, and the tape underflowed. A counter counts as free for a late
 * recomputation only at a reader that is a statement of its own. Gradient against central
 * differences.
 */
class CounterReadAtALoopTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Counter {
        static void scale(double[] out) {
          for (int i = 0; i < out.length; i++) {
            out[i] = out[i] * (1.25 - out[2]) / 0.5;
          }
        }

        @Differentiable(wrt = {"x", "v"})
        static double f(double x, double[] v) {
          int k = 0;
          while (k < 4 && x > 0.3) {
            int count = k > 1 ? 2 : 1;
            for (int i = 0; i < count; i++) {
              scale(v);
            }
            k++;
          }
          return x * k + v[0] + v[1] * v[2];
        }
      }
      """;

  @Test
  void theCounterIsUndoneWhereTheRecomputationReadsIt() {
    Compiled c = Compiled.compile("demo.Counter", SOURCE);
    of("f", r -> new Object[] {0.5 + 0.1 * r.nextDouble(), vector(r, 4, 0.05, 0.15)}, 0, 1)
        .check(c.load("demo.Counter"), c.load("demo.CounterGrad"));
  }
}
