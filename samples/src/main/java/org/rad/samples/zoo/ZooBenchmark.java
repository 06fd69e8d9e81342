package org.rad.samples.zoo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.ToDoubleFunction;
import org.rad.samples.util.ForkedJvm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/rad bench-zoo}: the benchmark zoo. Each entry is code written the way independent
 * users write it (six styles of the reactor, a vanilla RNN, and ADBench's LSTM, GMM and bundle
 * adjustment ported from its C++), measured in a JVM of its own ({@link ZooEntryMain}, same class
 * path), so that one entry's JIT profile does not shape another's. Prints one markdown table:
 * primal and gradient time (medians, measured in the same process), their ratio, the tape the
 * reverse sweep held, the bytes it truly needs ({@link ZooEntry#needBytes()}), and for the reactor
 * styles, which mark the field {@code @Randomize(fraction = 0.01)}, the randomized gradient.
 */
@Command(name = "bench-zoo", mixinStandardHelpOptions = true,
    description = "Gradient/primal time and tape/need of code written as users write it (reactor styles, RNN, ADBench LSTM, GMM, BA), one JVM per entry and kind of gradient.")
public final class ZooBenchmark implements Callable<Integer> {
  @Option(names = "--entries", split = ",", paramLabel = "NAME",
      description = "Entries to run, comma-separated (default: all): ${COMPLETION-CANDIDATES}.",
      completionCandidates = Names.class)
  List<String> entries = ZooEntries.names();

  @Option(names = "--repeats", description = "Timed rounds per entry, after the warm-up. Default: ${DEFAULT-VALUE}.")
  int repeats = 11;

  /**
   * Untimed rounds first. At the quick size the JIT is still recompiling the generated sweeps
   * (on-stack replacement, deoptimization) after 5 rounds, which once moved a reactor style from
   * 3.2x to 4.0x: 20 rounds reach its steady state. A full-size round is ten times longer.
   */
  @Option(names = "--warmup", description = "Untimed rounds per entry first. Default: 20 at the quick size, 3 at the full size.")
  Integer warmup;

  @Option(names = "--full", description = "Full size: the reactor at the paper's 40,960 steps (quick: 4,096), the RNN, LSTM and GMM larger (see the table's size column).")
  boolean full;

  @Option(names = "--clock", paramLabel = "wall|cpu", description = "What the times measure: wall (default) or cpu, the "
      + "measuring thread's CPU time, which other jobs on a loaded machine do not inflate (it leaves out the garbage "
      + "collector's and the JIT's threads). Default: ${DEFAULT-VALUE}.")
  String clock = "wall";

  @Option(names = "--out", paramLabel = "FILE", description = "Also write the table (markdown) to FILE.")
  Path out;

  /**
   * Fresh JVMs per entry and phase. On a machine shared with other jobs, one JVM in ten or so runs
   * a third slower throughout (its host core is busy elsewhere), the same build, the same code: one
   * such JVM moved a reactor style's randomized / exact from 0.94 to 1.03. With three forks the
   * table reports, for each phase, the fork of median time, the way JMH's forks do.
   */
  @Option(names = "--forks", description = "Fresh JVMs per entry and phase; the table reports, per phase, the fork of "
      + "median time (exact: of median gradient / primal). Default: ${DEFAULT-VALUE}.")
  int forks = 1;

  @Option(names = "--jvm-arg", paramLabel = "ARG", description = "An extra argument for each entry's JVM (repeatable), e.g. --jvm-arg=-Xmx8g.")
  List<String> jvmArgs = new ArrayList<>();

  /** The names picocli lists in the help. */
  static final class Names extends ArrayList<String> {
    Names() {
      super(ZooEntries.names());
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    for (String name : entries) {
      if (!ZooEntries.names().contains(name)) {
        System.err.println("error: unknown entry '" + name + "'; known: " + String.join(", ", ZooEntries.names()));
        return 2;
      }
    }
    if (warmup == null) {
      warmup = full ? 3 : 20;
    }
    if (!clock.equals("wall") && !clock.equals("cpu")) {
      System.err.println("error: --clock is wall or cpu, not '" + clock + "'");
      return 2;
    }
    if (repeats < 1 || warmup < 0 || forks < 1) {
      System.err.println("error: --repeats and --forks must be >= 1, --warmup >= 0");
      return 2;
    }
    String loadBefore = loadAverage();
    List<ZooResult> results = new ArrayList<>();
    for (String name : entries) {
      System.err.printf("bench-zoo: %s ...%n", name);
      ZooResult result = runEntry(name);
      if (result == null) {
        return 1;
      }
      System.err.printf("bench-zoo: %s: gradient/primal %.2f, tape/need %.2f%n", name, result.ratio(),
          (double) result.tapeBytes() / result.needBytes());
      results.add(result);
    }
    String table = table(results, loadBefore, loadAverage());
    System.out.print(table);
    if (out != null) {
      if (out.getParent() != null) {
        Files.createDirectories(out.getParent());
      }
      Files.writeString(out, table);
      System.err.println("bench-zoo: wrote " + out);
    }
    return 0;
  }

  /**
   * Measures one entry: the primal and the exact gradient in one fresh JVM, the randomized
   * gradient (for entries that mark a field {@code @Randomize}) in another, as a program runs one
   * kind of gradient (see {@link ZooEntryMain}).
   */
  private ZooResult runEntry(String name) throws IOException, InterruptedException {
    ZooResult exact = medianFork(name, "exact", ZooResult::ratio);
    if (exact == null || !ZooEntries.create(name).randomizes()) {
      return exact;
    }
    ZooResult randomized = medianFork(name, "randomized", ZooResult::randomizedMillis);
    if (randomized == null) {
      return null;
    }
    return new ZooResult(exact.name(), exact.size(), exact.primalMillis(), exact.gradientMillis(), exact.tapeBytes(),
        exact.needBytes(), randomized.randomizedMillis(), randomized.randomizedTapeBytes(), exact.needRule(),
        exact.checksum());
  }

  /**
   * Runs {@link #forks} JVMs of one entry and phase and returns the result of the one whose {@code
   * key} is the median (the lower middle one for an even count): every figure of a row comes from
   * one JVM, so a ratio is still one measured in one process. Null where a JVM failed.
   */
  private ZooResult medianFork(String name, String phase, ToDoubleFunction<ZooResult> key)
      throws IOException, InterruptedException {
    List<ZooResult> runs = new ArrayList<>();
    for (int f = 0; f < forks; f++) {
      ZooResult r = runForked(name, phase);
      if (r == null) {
        return null;
      }
      runs.add(r);
    }
    if (forks > 1) {
      System.err.printf(Locale.ROOT, "bench-zoo: %s, %s: %s over %d forks%n", name, phase,
          runs.stream().map(r -> String.format(Locale.ROOT, "%.3f", key.applyAsDouble(r))).sorted().toList(), forks);
    }
    return medianOf(runs, key);
  }

  /** The run whose {@code key} is the median of {@code runs} (the lower middle one for an even count). */
  static ZooResult medianOf(List<ZooResult> runs, ToDoubleFunction<ZooResult> key) {
    List<ZooResult> sorted = new ArrayList<>(runs);
    sorted.sort(Comparator.comparingDouble(key));
    return sorted.get((sorted.size() - 1) / 2);
  }

  /**
   * The options every entry's JVM starts with, before {@code --jvm-arg}s: the heap's pages are
   * touched when the JVM commits them, not on first use. On a virtual machine (this project's
   * 2-core machine), a page's first touch is a costly fault, and the garbage collector keeps
   * handing out eden regions never touched until the heap has been used once through: the entries
   * that allocate per gradient call (BA: about 250 bytes a call) then measured 8x to 58x their
   * primal in consecutive runs of the same build, 8.1x to 8.3x with the heap touched. A long-running
   * program reaches that steady state by itself; a benchmark of 31 rounds does not.
   */
  static final List<String> PRE_TOUCH = List.of("-XX:+AlwaysPreTouch");

  /** Runs {@link ZooEntryMain} for one entry and phase in a fresh JVM with this JVM's class path and options. */
  private ZooResult runForked(String name, String phase) throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(PRE_TOUCH);
    args.addAll(jvmArgs);
    ForkedJvm.Outcome outcome = ForkedJvm.run(args, ZooEntryMain.class.getName(), List.of(name, full ? "full" : "quick",
        Integer.toString(warmup), Integer.toString(repeats), clock, phase), ZooEntryMain.PREFIX);
    if (!outcome.ok()) {
      System.err.println("error: the JVM of entry " + name + " exited with status " + outcome.exit()
          + (outcome.result() == null ? " and no result" : ""));
      return null;
    }
    return ZooResult.parse(outcome.result());
  }


  private String table(List<ZooResult> results, String loadBefore, String loadAfter) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "rad benchmark zoo, %s size, %s per entry (and as many more for its randomized gradient; heap pre-touched), %d timed rounds after %d warm-up (medians)%n%n",
        full ? "full" : "quick", forks == 1 ? "one JVM" : forks + " JVMs, the fork of median time reported,", repeats,
        warmup));
    s.append("| entry | size | primal ms | gradient ms | gradient / primal | tape | need | tape / need | randomized ms (f = 0.01) | randomized / exact | randomized tape |\n");
    s.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (ZooResult r : results) {
      s.append(r.markdownRow()).append('\n');
    }
    s.append("\nneed: 8 bytes per array element that a nonlinear partial reads and a later write overwrites before the reverse sweep, and per element of a local array that only the reverse sweep still reads (ZooEntry.needBytes):\n\n");
    for (ZooResult r : results) {
      s.append("- ").append(r.name()).append(": ").append(r.needRule()).append('\n');
    }
    s.append(String.format(Locale.ROOT, "%nclock: %s; machine: %d cores, Java %s; load average (1, 5, 15 min) before %s, after %s%n",
        clock.equals("cpu") ? "CPU time of the measuring thread" : "wall", Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.version"), loadBefore, loadAfter));
    return s.toString();
  }

  /** The load averages of /proc/loadavg, or "n/a" where there is none. */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }
}
