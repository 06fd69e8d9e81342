package org.rad.samples.zoo;

import java.util.Locale;
import org.rad.runtime.RadContext;
import org.rad.samples.util.Timing;

/**
 * Measures one zoo entry in this JVM and prints one result line; {@code bin/rad bench-zoo} runs it
 * in a fresh JVM per entry, so the JIT's profile of one entry's code (shared helpers of the runtime,
 * the tapes) is not shaped by another's.
 *
 * <p>Usage: {@code ZooEntryMain ENTRY full|quick WARMUP REPEATS [wall|cpu]}. After {@code WARMUP} untimed
 * rounds, {@code REPEATS} timed rounds each run the primal, the exact gradient and, for entries
 * that mark a field {@code @Randomize}, the randomized gradient (a seeded context, the
 * annotation's fraction), one after the other; the medians are reported. The result line is
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
    if (args.length != 4 && !(args.length == 5 && (args[4].equals("wall") || args[4].equals("cpu")))) {
      System.err.println("usage: ZooEntryMain ENTRY full|quick WARMUP REPEATS [wall|cpu]");
      System.exit(2);
    }
    ZooEntry entry = ZooEntries.create(args[0]);
    boolean full = args[1].equals("full");
    int warmup = Integer.parseInt(args[2]);
    int repeats = Integer.parseInt(args[3]);
    boolean cpu = args.length == 5 && args[4].equals("cpu");
    System.out.println(PREFIX + measure(entry, full, warmup, repeats, cpu).format());
  }

  /** Sets up {@code entry} and times it as the class comment says. */
  static ZooResult measure(ZooEntry entry, boolean full, int warmup, int repeats, boolean cpu) {
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    java.util.function.LongSupplier clock = cpu ? threads::getCurrentThreadCpuTime : System::nanoTime;
    entry.setUp(full);
    RadContext exact = RadContext.exact();
    RadContext sampled = RadContext.seeded(1);
    boolean randomized = entry.randomizes();
    double sink = 0;
    for (int w = 0; w < warmup; w++) {
      sink += entry.primal();
      sink += entry.gradient(exact);
      if (randomized) {
        sink += entry.gradient(sampled);
      }
    }
    long[] primal = new long[repeats];
    long[] gradient = new long[repeats];
    long[] random = new long[repeats];
    long tape = 0;
    long randomTape = 0;
    for (int r = 0; r < repeats; r++) {
      long t0 = clock.getAsLong();
      sink += entry.primal();
      long t1 = clock.getAsLong();
      sink += entry.gradient(exact);
      long t2 = clock.getAsLong();
      tape = Math.max(tape, entry.tapeBytes(exact));
      primal[r] = t1 - t0;
      gradient[r] = t2 - t1;
      if (randomized) {
        long t3 = clock.getAsLong();
        sink += entry.gradient(sampled);
        random[r] = clock.getAsLong() - t3;
        randomTape = Math.max(randomTape, entry.tapeBytes(sampled));
      }
    }
    return new ZooResult(entry.name(), entry.size(), Timing.medianMillis(primal), Timing.medianMillis(gradient),
        tape, entry.needBytes(), randomized ? Timing.medianMillis(random) : Double.NaN,
        randomized ? randomTape : -1, entry.needRule(), String.format(Locale.ROOT, "%.6e", sink));
  }
}
