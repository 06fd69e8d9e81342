package org.rad.samples.reactor;

import java.util.concurrent.Callable;
import org.rad.runtime.RadContext;
import org.rad.samples.util.Timing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times the reactor loss and its generated gradient in one run, interleaved, and reports their
 * ratio and the tape the reverse sweep held. Medians over repeated runs after a warm-up, so the
 * JIT has compiled both; the ratio, not the absolute time, is the figure to compare across machines.
 */
@Command(name = "bench-reactor", mixinStandardHelpOptions = true,
    description = "Primal, exact and randomized gradient time and tape bytes of the reactor loss, in one run.")
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

  @Override
  public Integer call() {
    double dt = ReactorProblem.DT;
    double[] theta = ReactorProblem.initialTheta();
    if (!(fraction > 0 && fraction <= 1)) {
      System.err.println("error: --fraction must be in (0, 1]");
      return 2;
    }
    RadContext ctx = RadContext.exact();
    RadContext sampled = RadContext.seeded(1).withFraction(fraction);
    double[] grad = new double[theta.length];
    double sink = 0;
    for (int w = 0; w < warmup; w++) {
      sink += Reactor.loss(theta, n, steps, dt);
      sink += ReactorGrad.loss(theta, n, steps, dt, grad, ctx);
      sink += ReactorGrad.loss(theta, n, steps, dt, grad, sampled);
    }
    long[] primal = new long[repeats];
    long[] gradient = new long[repeats];
    long[] randomized = new long[repeats];
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      sink += Reactor.loss(theta, n, steps, dt);
      long t1 = System.nanoTime();
      sink += ReactorGrad.loss(theta, n, steps, dt, grad, ctx);
      long t2 = System.nanoTime();
      sink += ReactorGrad.loss(theta, n, steps, dt, grad, sampled);
      long t3 = System.nanoTime();
      primal[r] = t1 - t0;
      gradient[r] = t2 - t1;
      randomized[r] = t3 - t2;
    }
    double p = Timing.medianMillis(primal);
    double g = Timing.medianMillis(gradient);
    double rg = Timing.medianMillis(randomized);
    long tape = ctx.peakTapeBytes();
    long cells = (long) (n - 1) * (n - 1) * steps;
    System.out.printf("reactor loss, N=%d, S=%d steps, %d timed runs after %d warm-up (medians)%n", n, steps, repeats, warmup);
    System.out.printf("  primal time          %10.2f ms%n", p);
    System.out.printf("  exact gradient time  %10.2f ms%n", g);
    System.out.printf("  gradient / primal    %10.2f   (target <= 3)%n", g / p);
    System.out.printf("  tape                 %10.2f MB  (%.3f bytes per interior cell per step)%n", tape / 1e6, (double) tape / cells);
    System.out.printf("  randomized gradient  %10.2f ms  at f = %s  (tape %.3f MB)%n", rg, fraction, sampled.peakTapeBytes() / 1e6);
    System.out.printf("  randomized / exact   %10.2f   (target <= 1)%n", rg / g);
    System.out.printf("  (checksum %.6e)%n", sink);
    return 0;
  }

}
