package org.rad.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A fixed-seed fuzzing batch over every feature: fails, listing each failing program's outcome,
 * detail and source, when any program fails a check (or is rejected, or crashes the processor).
 * {@code bin/rad fuzz --programs 400 --seed 20261205 --out DIR} reproduces it and minimizes the failures.
 */
class FuzzBatchTest {
  static final long SEED = 20261205;
  static final int PROGRAMS = Integer.getInteger("rad.fuzz.programs", 400);

  @Test
  void fixedSeedBatchPasses() {
    Fuzzer.Config config = Fuzzer.Config.of(SEED, PROGRAMS);
    Fuzzer.Report report = new Fuzzer(config).run(line -> { });
    assertEquals(PROGRAMS, report.verdicts().size());
    List<Verdict> failures = report.failures();
    if (!failures.isEmpty()) {
      fail(failures.size() + " of " + PROGRAMS + " programs fail (seed " + SEED + ")\n" + FuzzCli.summary(config, report)
          + "\nthe first failing programs in full:\n" + failures.stream().limit(5).map(v -> "---- " + v.program().name() + ": " + v.outcome().label() + "\n" + v.detail()
              + "\n" + v.program().source()).collect(Collectors.joining("\n")));
    }
  }
}
