package org.rad.fuzz;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Generates programs, compiles them in batches with the processor and checks every one; the
 * result is a {@link Verdict} per program.
 */
public final class Fuzzer {
  /**
   * @param seed the run's seed: program {@code i} has seed {@link #programSeed(long, int)}
   * @param programs how many programs
   * @param batch compilation units per javac task
   * @param mix the features the generator may use
   * @param points argument points checked per program
   * @param timeoutMillis how long the checks of one program may take (an endless loop is a crash)
   */
  public record Config(long seed, int programs, int batch, FeatureMix mix, int points, long timeoutMillis) {
    public static Config of(long seed, int programs) {
      return new Config(seed, programs, 100, FeatureMix.all(), 2, 20_000);
    }

    public Config withMix(FeatureMix m) {
      return new Config(seed, programs, batch, m, points, timeoutMillis);
    }

    public Config withBatch(int b) {
      return new Config(seed, programs, b, mix, points, timeoutMillis);
    }
  }

  /** The verdicts of a run and its wall time. */
  public record Report(List<Verdict> verdicts, long millis) {
    public Map<Outcome, Integer> counts() {
      Map<Outcome, Integer> c = new EnumMap<>(Outcome.class);
      for (Outcome o : Outcome.values()) {
        c.put(o, 0);
      }
      verdicts.forEach(v -> c.merge(v.outcome(), 1, Integer::sum));
      return c;
    }

    public List<Verdict> failures() {
      return verdicts.stream().filter(v -> v.outcome().isFailure()).toList();
    }

    public int skippedComponents() {
      return verdicts.stream().mapToInt(Verdict::skippedComponents).sum();
    }

    public int checkedComponents() {
      return verdicts.stream().mapToInt(Verdict::checkedComponents).sum();
    }
  }

  private final Config config;
  private final BatchCompiler compiler = new BatchCompiler(true);
  private final BatchCompiler plain = new BatchCompiler(false);
  private final Checker checker;

  public Fuzzer(Config config) {
    this.config = config;
    this.checker = new Checker(config.points());
  }

  /** The seed of program {@code index} of a run with {@code seed}. */
  public static long programSeed(long seed, int index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index).nextLong();
  }

  /** The programs of this run, in order. */
  public List<Program> programs() {
    ProgramGenerator g = new ProgramGenerator(config.mix());
    List<Program> ps = new ArrayList<>();
    for (int i = 0; i < config.programs(); i++) {
      ps.add(g.generate(programSeed(config.seed(), i), "P" + i));
    }
    return ps;
  }

  /** Generates, compiles and checks the run's programs; {@code progress} hears after each batch. */
  public Report run(Consumer<String> progress) {
    return run(i -> true, progress);
  }

  /** Like {@link #run(Consumer)}, for the programs whose number {@code include} accepts. */
  public Report run(java.util.function.IntPredicate include, Consumer<String> progress) {
    long start = System.nanoTime();
    List<Program> all = new ArrayList<>();
    List<Program> generated = programs();
    for (int i = 0; i < generated.size(); i++) {
      if (include.test(i)) {
        all.add(generated.get(i));
      }
    }
    List<Verdict> verdicts = new ArrayList<>();
    for (int from = 0; from < all.size(); from += config.batch()) {
      List<Program> batch = all.subList(from, Math.min(all.size(), from + config.batch()));
      verdicts.addAll(evaluate(batch));
      progress.accept(Math.min(all.size(), from + config.batch()) + "/" + all.size() + " programs, "
          + verdicts.stream().filter(v -> v.outcome().isFailure()).count() + " failing");
    }
    verdicts.sort((a, b) -> Integer.compare(index(a.program()), index(b.program())));
    return new Report(verdicts, (System.nanoTime() - start) / 1_000_000);
  }

  private static int index(Program p) {
    try {
      return Integer.parseInt(p.name().substring(1));
    } catch (NumberFormatException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** Compiles {@code programs} in one batch (recompiling around rejections) and checks each. */
  public List<Verdict> evaluate(List<Program> programs) {
    BatchCompiler.Result r = compiler.compile(programs);
    List<Verdict> out = new ArrayList<>(r.failed());
    for (BatchCompiler.Compiled c : r.compiled()) {
      out.add(checkWithTimeout(c));
    }
    return out;
  }

  /**
   * Like {@link #evaluate}, after checking that each program is valid Java with plain javac: the
   * processor reports its errors before javac's flow analysis, so a variant missing a
   * {@code return} would otherwise still look "rejected". Invalid programs get
   * {@link Outcome#INVALID_PROGRAM}.
   */
  public List<Verdict> evaluateValid(List<Program> programs) {
    BatchCompiler.Result r = plain.compile(programs);
    List<Verdict> out = new ArrayList<>(r.failed());
    out.addAll(evaluate(r.compiled().stream().map(BatchCompiler.Compiled::program).toList()));
    return out;
  }

  @SuppressWarnings({"deprecation", "removal"})
  private Verdict checkWithTimeout(BatchCompiler.Compiled c) {
    Verdict[] result = new Verdict[1];
    Thread t = new Thread(() -> result[0] = checkCompiled(c), "fuzz-check-" + c.program().name());
    t.setDaemon(true);
    t.start();
    try {
      t.join(config.timeoutMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (t.isAlive()) {
      try {
        t.stop(); // an endless loop in generated code: nothing else ends it, and the thread owns nothing shared
      } catch (UnsupportedOperationException e) {
        // JDK 20+: the daemon thread is left to spin; the run goes on
      }
      return Verdict.of(c.program(), Outcome.CRASH, "the checks did not finish within " + config.timeoutMillis() + " ms");
    }
    return result[0] == null ? Verdict.of(c.program(), Outcome.CRASH, "the check thread died") : result[0];
  }

  private Verdict checkCompiled(BatchCompiler.Compiled c) {
    Program p = c.program();
    try {
      Class<?> user = c.loader().loadClass(p.qualifiedName());
      Class<?> grad = c.loader().loadClass(p.qualifiedName() + "Grad");
      return checker.check(p, user, grad);
    } catch (ClassNotFoundException e) {
      return Verdict.of(p, Outcome.INTERNAL, "no generated class: " + e.getMessage());
    } catch (LinkageError e) {
      return Verdict.of(p, Outcome.CRASH, "the generated class does not load: " + e);
    } catch (RuntimeException | StackOverflowError e) {
      return Verdict.of(p, Outcome.CRASH, "the check failed with " + e);
    }
  }
}
