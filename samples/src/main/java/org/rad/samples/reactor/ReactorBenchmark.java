package org.rad.samples.reactor;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.rad.runtime.RadContext;
import org.rad.samples.util.ForkedJvm;
import org.rad.samples.util.Timing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the reactor loss and its generated gradient in one run, interleaved, and reports their
 * ratio and the tape the reverse sweep held. Medians over repeated runs after a warm-up, so the
 * JIT has compiled both; the ratio, not the absolute time, is the figure to compare across machines.
 * The randomized gradient is timed in a second JVM (this command with {@code --phase randomized}),
 * as a program runs one kind of gradient: alternating the two in one JVM trains the JIT on both
 * paths of every record and slows each (see the zoo's {@code ZooEntryMain}).
 */
@Command(name = "bench-reactor", mixinStandardHelpOptions = true,
    description = "Primal, exact and randomized gradient time and tape bytes of the reactor loss (the randomized gradient in a JVM of its own).")
public final class ReactorBenchmark implements Callable<Integer> {
  @Option(names = "--grid", description = "Grid intervals N (N+1 nodes a side). Default: ${DEFAULT-VALUE}.")
  int n = 32;

  @Option(names = "--steps", description = "Time steps S. Default: ${DEFAULT-VALUE}.")
  int steps = 4096;

  @Option(names = "--repeats", description = "Timed runs of each, after the warm-up. Default: ${DEFAULT-VALUE}.")
  int repeats = 15;

  @Option(names = "--warmup", description = "Untimed runs of each first. Default: ${DEFAULT-VALUE}.")
  int warmup = 10;

  @Option(names = "--fraction", description = "Fraction of the randomized gradient timed beside the exact one. Default: ${DEFAULT-VALUE}.")
  double fraction = 0.01;

  @Option(names = "--phase", description = "both (default): the exact phase here, the randomized one in a second JVM; "
      + "randomized: only the randomized gradient, printed as one line for the first JVM.")
  String phase = "both";

  /** Marks the line a {@code --phase randomized} run prints: median ms and peak tape bytes. */
  static final String RANDOMIZED = "RANDOMIZED\t";

  @Override
  public Integer call() {
    double dt = ReactorProblem.DT;
    double[] theta = ReactorProblem.initialTheta();
    if (!(fraction > 0 && fraction <= 1)) {
      System.err.println("error: --fraction must be in (0, 1]");
      return 2;
    }
    if (!phase.equals("both") && !phase.equals("randomized")) {
      System.err.println("error: --phase must be both or randomized");
      return 2;
    }
    double[] grad = new double[theta.length];
    RadContext sampled = RadContext.seeded(1).withFraction(fraction);
    if (phase.equals("randomized")) {
      double sink = 0;
      for (int w = 0; w < warmup; w++) {
        sink += ReactorGrad.loss(theta, n, steps, dt, grad, sampled);
      }
      long[] randomized = new long[repeats];
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        sink += ReactorGrad.loss(theta, n, steps, dt, grad, sampled);
        randomized[r] = System.nanoTime() - t0;
      }
      System.out.println(RANDOMIZED + Timing.medianMillis(randomized) + "\t" + sampled.peakTapeBytes() + "\t" + sink);
      return 0;
    }
    RadContext ctx = RadContext.exact();
    double sink = 0;
    for (int w = 0; w < warmup; w++) {
      sink += Reactor.loss(theta, n, steps, dt);
      sink += ReactorGrad.loss(theta, n, steps, dt, grad, ctx);
    }
    long[] primal = new long[repeats];
    long[] gradient = new long[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      sink += Reactor.loss(theta, n, steps, dt);
      long t1 = System.nanoTime();
      sink += ReactorGrad.loss(theta, n, steps, dt, grad, ctx);
      long t2 = System.nanoTime();
      primal[r] = t1 - t0;
      gradient[r] = t2 - t1;
    }
    String[] other = randomizedInAnotherJvm();
    if (other == null) {
      return 1;
    }
    double p = Timing.medianMillis(primal);
    double g = Timing.medianMillis(gradient);
    double rg = Double.parseDouble(other[0]);
    long sampledTape = Long.parseLong(other[1]);
    long tape = ctx.peakTapeBytes();
    long cells = (long) (n - 1) * (n - 1) * steps;
    System.out.printf("reactor loss, N=%d, S=%d steps, %d timed runs after %d warm-up (medians)%n", n, steps, repeats, warmup);
    System.out.printf("  primal time          %10.2f ms%n", p);
    System.out.printf("  exact gradient time  %10.2f ms%n", g);
    System.out.printf("  gradient / primal    %10.2f   (target <= 3)%n", g / p);
    System.out.printf("  tape                 %10.2f MB  (%.3f bytes per interior cell per step)%n", tape / 1e6, (double) tape / cells);
    System.out.printf("  randomized gradient  %10.2f ms  at f = %s  (tape %.3f MB)%n", rg, fraction, sampledTape / 1e6);
    System.out.printf("  randomized / exact   %10.2f   (target <= 1)%n", rg / g);
    System.out.printf("  (checksum %.6e)%n", sink);
    return 0;
  }

  /** Runs this command with {@code --phase randomized} in a fresh JVM: its median ms and tape bytes, or null. */
  private String[] randomizedInAnotherJvm() {
    try {
      ForkedJvm.Outcome outcome = ForkedJvm.run(List.of(), org.rad.samples.RadCli.class.getName(), List.of("bench-reactor",
          "--phase", "randomized", "--grid", Integer.toString(n), "--steps", Integer.toString(steps), "--repeats",
          Integer.toString(repeats), "--warmup", Integer.toString(warmup), "--fraction", Double.toString(fraction)),
          RANDOMIZED);
      if (!outcome.ok()) {
        System.err.println("error: the JVM of the randomized phase failed");
        return null;
      }
      return outcome.result().split("\t");
    } catch (IOException e) {
      System.err.println("error: cannot start the JVM of the randomized phase: " + e.getMessage());
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }


}
