package org.rad.samples.zoo;

import java.util.List;
import java.util.Locale;
import org.rad.runtime.RadContext;
import org.rad.samples.util.Timing;

/**
 * Measures one zoo entry in this JVM and prints one result line; {@code bin/rad bench-zoo} runs it
 * in a fresh JVM per entry, so the JIT's profile of one entry's code (shared helpers of the runtime,
 * the tapes) is not shaped by another's.
 *
 * <p>Usage: {@code ZooEntryMain ENTRY full|quick WARMUP REPEATS [wall|cpu [exact|randomized|both]]}.
 * The exact phase runs {@code WARMUP} untimed rounds, then {@code REPEATS} timed rounds of the
 * primal and the exact gradient, one after the other; the randomized phase, for entries that mark
 * a field {@code @Randomize}, {@code WARMUP} untimed and {@code REPEATS} timed runs of the
 * randomized gradient (a seeded context, the annotation's fraction). The medians are reported.
 * {@code bin/rad bench-zoo} runs the two phases in two JVMs, as a program runs one kind of
 * gradient: in one JVM the second phase runs on code the first trained (the randomized reactor
 * took up to 2x the exact time after an exact phase, 1x in a JVM of its own), and alternating the
 * two kinds round by round trains the JIT on both paths of every record (the exact gradient of
 * the hoisted reactor took 3.33x to 3.40x its primal so, 2.95x alone, same generated code). The result line is
 * {@link #PREFIX} followed by tab-separated fields (see {@link ZooResult#parse}). The clock is the
 * wall clock, or with {@code cpu} this thread's CPU time: on a machine that other jobs keep busy,
 * a long run is preempted more often than a short one, which inflates wall-clock ratios; CPU time
 * is not inflated (it leaves out the garbage collector's and the JIT's threads).
 */
public final class ZooEntryMain {
  /** Marks the result line in the output. */
  public static final String PREFIX = "ZOO-RESULT\t";

  private ZooEntryMain() {}

  public static void main(String[] args) {
    boolean clockOk = args.length < 5 || args[4].equals("wall") || args[4].equals("cpu");
    boolean phaseOk = args.length < 6 || List.of("exact", "randomized", "both").contains(args[5]);
    if (args.length < 4 || args.length > 6 || !clockOk || !phaseOk) {
      System.err.println("usage: ZooEntryMain ENTRY full|quick WARMUP REPEATS [wall|cpu [exact|randomized|both]]");
      System.exit(2);
    }
    ZooEntry entry = ZooEntries.create(args[0]);
    boolean full = args[1].equals("full");
    int warmup = Integer.parseInt(args[2]);
    int repeats = Integer.parseInt(args[3]);
    boolean cpu = args.length >= 5 && args[4].equals("cpu");
    String phase = args.length == 6 ? args[5] : "both";
    System.out.println(PREFIX + measure(entry, full, warmup, repeats, cpu, !phase.equals("randomized"),
        !phase.equals("exact")).format());
  }

  /** Sets up {@code entry} and times it as the class comment says. */
  static ZooResult measure(ZooEntry entry, boolean full, int warmup, int repeats, boolean cpu) {
    return measure(entry, full, warmup, repeats, cpu, true, true);
  }

  /**
   * As above, with only the exact phase ({@code randomizedPhase} false; the randomized fields are
   * then NaN and -1) or only the randomized phase ({@code exactPhase} false; primal and gradient
   * NaN, tape 0).
   */
  static ZooResult measure(ZooEntry entry, boolean full, int warmup, int repeats, boolean cpu, boolean exactPhase,
      boolean randomizedPhase) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.function.LongSupplier clock = cpu ? threads::getCurrentThreadCpuTime : System::nanoTime;
    entry.setUp(full);
    RadContext exact = RadContext.exact();
    RadContext sampled = RadContext.seeded(1);
    boolean randomized = randomizedPhase && entry.randomizes();
    double sink = 0;
    for (int w = 0; exactPhase && w < warmup; w++) {
      sink += entry.primal();
      sink += entry.gradient(exact);
    }
    long[] primal = new long[repeats];
    long[] gradient = new long[repeats];
    long[] random = new long[repeats];
    long tape = 0;
    long randomTape = 0;
    for (int r = 0; exactPhase && r < repeats; r++) {
      long t0 = clock.getAsLong();
      sink += entry.primal();
      long t1 = clock.getAsLong();
      sink += entry.gradient(exact);
      long t2 = clock.getAsLong();
      tape = Math.max(tape, entry.tapeBytes(exact));
      primal[r] = t1 - t0;
      gradient[r] = t2 - t1;
    }
    if (randomized) {
      for (int w = 0; w < warmup; w++) {
        sink += entry.gradient(sampled);
      }
      for (int r = 0; r < repeats; r++) {
        long t3 = clock.getAsLong();
        sink += entry.gradient(sampled);
        random[r] = clock.getAsLong() - t3;
        randomTape = Math.max(randomTape, entry.tapeBytes(sampled));
      }
    }
    return new ZooResult(entry.name(), entry.size(), exactPhase ? Timing.medianMillis(primal) : Double.NaN,
        exactPhase ? Timing.medianMillis(gradient) : Double.NaN,
        tape, entry.needBytes(), randomized ? Timing.medianMillis(random) : Double.NaN,
        randomized ? randomTape : -1, entry.needRule(), String.format(Locale.ROOT, "%.6e", sink));
  }
}
