package org.rad.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generator: deterministic per seed, valid Java, and it honours the feature mix. */
class ProgramGeneratorTest {
  @Test
  void sameSeedSameProgram() {
    ProgramGenerator a = new ProgramGenerator(FeatureMix.all());
    ProgramGenerator b = new ProgramGenerator(FeatureMix.all());
    for (long seed = 0; seed < 50; seed++) {
      Program p = a.generate(seed, "P" + seed);
      Program q = b.generate(seed, "P" + seed);
      assertEquals(p.source(), q.source(), "seed " + seed);
      assertEquals(p.params(), q.params(), "seed " + seed);
    }
    assertNotEquals(a.generate(1, "P").source(), a.generate(2, "P").source());
  }

  @Test
  void runsAreReproducible() {
    Fuzzer.Config c = Fuzzer.Config.of(7, 20);
    List<String> first = new Fuzzer(c).programs().stream().map(Program::source).toList();
    List<String> second = new Fuzzer(c).programs().stream().map(Program::source).toList();
    assertEquals(first, second);
  }

  /** 300 programs compile with plain javac (no processor): the generator writes valid Java. */
  @Test
  void programsCompileWithPlainJavac() {
    ProgramGenerator g = new ProgramGenerator(FeatureMix.all());
    List<Program> ps = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ps.add(g.generate(Fuzzer.programSeed(11, i), "P" + i));
    }
    BatchCompiler.Result r = new BatchCompiler(false).compile(ps);
    assertTrue(r.failed().isEmpty(), () -> r.failed().stream()
        .map(v -> v.program().source() + "\n" + v.detail()).collect(Collectors.joining("\n\n")));
    assertEquals(300, r.compiled().size());
  }

  /** The original programs run without exceptions and give finite values at the checker's points. */
  @Test
  void everyFeatureIsUsedAndCanBeSwitchedOff() {
    ProgramGenerator all = new ProgramGenerator(FeatureMix.all());
    ProgramGenerator noSwapNoRandomize = new ProgramGenerator(FeatureMix.parse("all,-swap,-randomize,-while"));
    StringBuilder everything = new StringBuilder();
    StringBuilder restricted = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      everything.append(all.generate(i, "P").source());
      restricted.append(noSwapNoRandomize.generate(i, "P").source());
    }
    for (String s : List.of("while (", "break;", "continue;", "@Randomize", "double[] tmp", "[i", "Math.", " ? ",
        ".clone()", "for (double ", "double[][] m", "static double[] a", "static void w", "static double s")) {
      assertTrue(everything.indexOf(s) >= 0, "no program uses " + s);
    }
    for (String s : List.of("while (", "@Randomize", "double[] tmp")) {
      assertFalse(restricted.indexOf(s) >= 0, "a program uses " + s + " though it is switched off");
    }
  }
}
