package org.rad.fuzz;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/rad fuzz --programs N --seed S [--out DIR]}: generates N programs, compiles them with
 * the rad processor and checks each against its original method and central differences; prints
 * the count per outcome and the time, and writes each failure, minimized, to DIR. Exits with 1
 * when any program fails.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
    description = "Differential fuzzing of the rad processor: random programs of the supported subset, "
        + "each checked for value, gradient (central differences), written arrays and context reuse.")
public final class FuzzCli implements Callable<Integer> {
  @Option(names = "--programs", defaultValue = "200", description = "programs to generate (default ${DEFAULT-VALUE})")
  int programs;

  @Option(names = "--seed", defaultValue = "1", description = "the run's seed (default ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", description = "folder for the minimized failures (none: not written)")
  Path out;

  @Option(names = "--features", defaultValue = "all",
      description = "features the generator uses: all, all,-swap,-randomize, or a list like loops,math,if (default ${DEFAULT-VALUE})")
  String features;

  @Option(names = "--batch", defaultValue = "100", description = "compilation units per javac task (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--points", defaultValue = "2", description = "argument points per program (default ${DEFAULT-VALUE})")
  int points;

  @Option(names = "--minimize", defaultValue = "3",
      description = "failures to minimize per failure signature (outcome and exception or message id) (default ${DEFAULT-VALUE})")
  int minimizePerClass;

  @Option(names = "--timeout-ms", defaultValue = "20000", description = "time limit of one program's checks (default ${DEFAULT-VALUE})")
  long timeoutMillis;

  @Option(names = "--only", split = ",",
      description = "check only these program numbers of the run (e.g. to minimize them again: --only 138,208 --minimize 9)")
  List<Integer> only;

  @Option(names = "--file", description = "check these program files (written failures, possibly edited) instead of generating")
  List<Path> files;

  @Option(names = "--print", description = "print the source of program number N of the run and exit")
  Integer print;

  public static void main(String[] args) {
    System.exit(new CommandLine(new FuzzCli()).execute(args));
  }

  @Override
  public Integer call() throws IOException {
    Fuzzer.Config config = new Fuzzer.Config(seed, programs, batch, FeatureMix.parse(features), points, timeoutMillis);
    Fuzzer fuzzer = new Fuzzer(config);
    PrintStream o = System.out;
    if (print != null) {
      o.print(new ProgramGenerator(config.mix()).generate(Fuzzer.programSeed(seed, print), "P" + print).source());
      return 0;
    }
    Fuzzer.Report report;
    if (files != null) {
      long start = System.nanoTime();
      List<Program> ps = new java.util.ArrayList<>();
      for (Path f : files) {
        ps.add(Program.parse(Files.readString(f)));
      }
      report = new Fuzzer.Report(fuzzer.evaluateValid(ps), (System.nanoTime() - start) / 1_000_000);
      for (Verdict v : report.verdicts()) {
        o.printf("%s: %s%n%s%n", v.program().name(), v.outcome().label(), v.detail());
      }
    } else {
      o.printf("rad fuzz: %d programs, seed %d, features %s%n", programs, seed, config.mix());
      report = fuzzer.run(only == null ? i -> true : only::contains, line -> System.err.println("  " + line));
    }
    o.print(summary(config, report));
    List<Verdict> failures = report.failures();
    if (out != null && !failures.isEmpty()) {
      Files.createDirectories(out);
      // variants that loop forever are common (a loop bound shrunk to a constant that never ends it)
      // and never the failure looked for: a short time limit keeps them cheap
      Fuzzer shrinking = new Fuzzer(new Fuzzer.Config(seed, programs, batch, config.mix(), points, Math.min(timeoutMillis, 3000)));
      Minimizer minimizer = new Minimizer(shrinking::evaluateValid, 40);
      Map<String, Integer> perClass = new HashMap<>();
      for (Verdict v : failures) {
        String sig = Minimizer.signature(v);
        int seen = perClass.merge(sig, 1, Integer::sum);
        Verdict m = seen <= minimizePerClass ? minimizer.minimize(v) : v;
        write(out, v, m, seen <= minimizePerClass);
      }
      o.printf("failures written to %s (%d minimized per signature)%n", out, minimizePerClass);
    }
    return failures.isEmpty() ? 0 : 1;
  }

  /** The count per outcome, the time, and one line per failure. */
  static String summary(Fuzzer.Config config, Fuzzer.Report report) {
    StringBuilder s = new StringBuilder();
    report.counts().forEach((k, v) -> {
      if (v > 0 || !k.isFailure()) {
        s.append(String.format(Locale.ROOT, "  %-32s %6d%n", k.label(), v));
      }
    });
    s.append(String.format(Locale.ROOT, "  gradient components: %d checked, %d skipped (not smooth)%n",
        report.checkedComponents(), report.skippedComponents()));
    List<Verdict> randomized = report.verdicts().stream().filter(v -> v.program().randomizeAny()).toList();
    s.append(String.format(Locale.ROOT, "  with @Randomize: %d programs, %d pass (%d of them checked exactly at fraction 1), %d rejected as documented%n",
        randomized.size(), randomized.stream().filter(v -> v.outcome() == Outcome.PASS).count(),
        randomized.stream().filter(v -> v.outcome() == Outcome.PASS && v.program().randomized()).count(),
        randomized.stream().filter(v -> v.outcome() == Outcome.REJECTED_AS_DOCUMENTED).count()));
    s.append(String.format(Locale.ROOT, "  time: %.1f s (%.1f ms per program)%n", report.millis() / 1000.0,
        report.millis() / (double) Math.max(1, report.verdicts().size())));
    Map<String, List<Verdict>> classes = new java.util.LinkedHashMap<>();
    for (Verdict v : report.failures()) {
      classes.computeIfAbsent(Minimizer.signature(v), k -> new java.util.ArrayList<>()).add(v);
    }
    if (!classes.isEmpty()) {
      s.append("  failure signatures (outcome and message, names masked):\n");
      classes.forEach((sig, vs) -> s.append(String.format(Locale.ROOT, "  %5d  %s  (e.g. %s)%n", vs.size(),
          sig.length() > 200 ? sig.substring(0, 200) + " ..." : sig,
          vs.stream().limit(3).map(v -> v.program().name()).collect(java.util.stream.Collectors.joining(", ")))));
    }
    for (Verdict v : report.failures()) {
      String first = v.detail().lines().findFirst().orElse("");
      s.append(String.format(Locale.ROOT, "  %s %s (seed %d): %s%n", v.program().name(), v.outcome().label(), v.program().seed(),
          first.length() > 300 ? first.substring(0, 300) + " ..." : first));
    }
    return s.toString();
  }

  private static void write(Path dir, Verdict original, Verdict minimized, boolean wasMinimized) throws IOException {
    String base = original.program().name() + "-" + minimized.outcome().label();
    Program standalone = minimized.program().withSource(original.program().name(), minimized.program().source());
    Files.writeString(dir.resolve(base + ".java"), standalone.source());
    String note = "outcome: " + minimized.outcome().label() + "\n"
        + "program: " + original.program().name() + " (seed " + original.program().seed() + ")"
        + (wasMinimized ? ", minimized from " + original.program().source().lines().count() + " to "
            + standalone.source().lines().count() + " lines" : ", not minimized") + "\n"
        + "detail of the minimized program:\n" + minimized.detail() + "\n\n"
        + "detail of the original program:\n" + original.detail() + "\n";
    Files.writeString(dir.resolve(base + ".txt"), note);
  }
}
