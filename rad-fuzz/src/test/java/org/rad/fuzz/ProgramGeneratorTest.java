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
  /**
   * Each feature drawn from a stream of its own has its own seed: two streams with one seed draw
   * the same numbers, so one feature's decisions would follow another's (the while loops over
   * rows had the data-index stream's seed).
   */
  @Test
  void everySideStreamHasItsOwnSeed() throws Exception {
    String source = java.nio.file.Files.readString(java.nio.file.Path.of("src/main/java/org/rad/fuzz/ProgramGenerator.java"));
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("new SplittableRandom\\(seed \\^ (0x[0-9A-F]+L)\\)")
        .matcher(source);
    List<String> constants = new ArrayList<>();
    while (m.find()) {
      constants.add(m.group(1));
    }
    assertTrue(constants.size() >= 7, "side streams found: " + constants);
    assertEquals(constants.size(), new java.util.HashSet<>(constants).size(), "side stream seeds: " + constants);
  }

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

  /** A written program reads back as the same program (what --file relies on). */
  @Test
  void programsParseBack() {
    ProgramGenerator g = new ProgramGenerator(FeatureMix.all());
    for (long seed = 0; seed < 200; seed++) {
      Program p = g.generate(seed, "P" + seed);
      assertEquals(p, Program.parse(p.source()), p.source());
    }
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

  /** The original programs run without exceptions at the checker's argument points (indices stay in bounds). */
  @Test
  void originalProgramsRunWithoutExceptions() throws Exception {
    ProgramGenerator g = new ProgramGenerator(FeatureMix.all());
    List<Program> ps = new ArrayList<>();
    for (int i = 0; i < 150; i++) {
      ps.add(g.generate(Fuzzer.programSeed(13, i), "P" + i));
    }
    int finite = 0;
    for (BatchCompiler.Compiled c : new BatchCompiler(false).compile(ps).compiled()) {
      Program p = c.program();
      java.lang.reflect.Method f = java.util.Arrays.stream(c.loader().loadClass(p.qualifiedName()).getDeclaredMethods())
          .filter(m -> m.getName().equals(Program.ENTRY)).findFirst().orElseThrow();
      f.setAccessible(true);
      Checker.Call call = new Checker.Call(p, f, null, p.wrtIndices());
      java.util.SplittableRandom r = new java.util.SplittableRandom(p.seed());
      for (int point = 0; point < 3; point++) {
        Object[] args = call.draw(r);
        try {
          double v = call.primal(args);
          finite += Double.isFinite(v) ? 1 : 0;
        } catch (java.lang.reflect.InvocationTargetException e) {
          throw new AssertionError(p.source() + "\nthrows " + e.getCause() + " at " + Checker.Call.show(args), e.getCause());
        }
      }
    }
    assertTrue(finite >= 0.95 * 450, finite + " of 450 values finite: the generator lets values blow up");
  }

  @Test
  void everyFeatureIsUsedAndCanBeSwitchedOff() {
    ProgramGenerator all = new ProgramGenerator(FeatureMix.all());
    ProgramGenerator noSwapNoRandomize = new ProgramGenerator(FeatureMix.parse("all,-swap,-randomize,-while,-fields,-data_index,-switch"));
    StringBuilder everything = new StringBuilder();
    StringBuilder restricted = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      everything.append(all.generate(i, "P").source());
      restricted.append(noSwapNoRandomize.generate(i, "P").source());
    }
    for (String s : List.of("while (", "break;", "continue;", "@Randomize", "double[] tmp", "[i", "Math.", " ? ",
        ".clone()", "for (double ", "double[][] m", "static double[] a", "static void w", "static double s", "K0[", "K1[", "((int) (", "switch (", "case 1, 2 ->", "default:", "double[] row")) {
      assertTrue(everything.indexOf(s) >= 0, "no program uses " + s);
    }
    for (String s : List.of("while (", "@Randomize", "double[] tmp", "K0", "((int) (", "switch")) {
      assertFalse(restricted.indexOf(s) >= 0, "a program uses " + s + " though it is switched off");
    }
  }
}
