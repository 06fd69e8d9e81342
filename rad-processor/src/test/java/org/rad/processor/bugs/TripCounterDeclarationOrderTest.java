package org.rad.processor.bugs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rad.processor.Compiled;

/**
 * Found while checking that a refactoring left the generated code byte for byte the same: the
 * trip counters of loops the reverse sweep replays by count ({@code int iterations = 0;}, ...)
 * were declared in the order of an identity hash map, so the generated source of one program
 * changed with unrelated changes to the processor (and could differ between JVMs). They are now
 * declared in the order they are made, which is their numbering.
 *
 * <p>(Without the fix the order is arbitrary, not always wrong: with seven counters the chance
 * that it happens to be the numbering is 1 in 5,040.)
 */
class TripCounterDeclarationOrderTest {
  static final String SOURCE = """
      package bugs;
      import org.rad.annotations.Differentiable;
      public class Loops {
        @Differentiable(wrt = {"x"})
        static double f(double x) {
          double v = x;
          while (v < 2) { v = v * 1.5 + 0.1; }
          while (v < 4) { v = v * 1.5 + 0.1; }
          while (v < 8) { v = v * 1.5 + 0.1; }
          while (v < 16) { v = v * 1.5 + 0.1; }
          while (v < 32) { v = v * 1.5 + 0.1; }
          while (v < 64) { v = v * 1.5 + 0.1; }
          while (v < 128) { v = v * 1.5 + 0.1; }
          return v * x;
        }
      }
      """;

  @Test
  void tripCountersAreDeclaredInTheirNumbering() {
    String generated = Compiled.compile("bugs.Loops", SOURCE).generatedSource("bugs.LoopsGrad");
    int forward = generated.indexOf("static double fForward(");
    String body = generated.substring(forward, generated.indexOf("\n  }\n", forward));
    List<String> declared = new ArrayList<>();
    Matcher m = Pattern.compile("int (iterations\\d*) = 0;").matcher(body);
    while (m.find()) {
      declared.add(m.group(1));
    }
    assertEquals(List.of("iterations", "iterations2", "iterations3", "iterations4", "iterations5", "iterations6",
        "iterations7"), declared);
  }
}
