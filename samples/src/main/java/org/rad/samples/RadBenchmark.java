package org.rad.samples;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rad.runtime.RadContext;
import org.rad.samples.mlp.MlpGrad;
import org.rad.samples.mlp.MlpMemoryProbe;
import org.rad.samples.reactor.ReactorMemoryProbe;
import org.rad.samples.mlp.MlpParams;
import org.rad.samples.reactor.ReactorGrad;
import org.rad.samples.reactor.ReactorProblem;
import org.rad.samples.util.HeapMeter;
import org.rad.samples.util.Timing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Memory and time of exact and randomized gradients, measured in one run: for the reactor loss
 * and the 784-300-300-300-10 ReLU MLP (plain loops and EJML), the tape the reverse sweep held ({@code peakTapeBytes}),
 * the live heap the call holds between its sweeps (after a full collection), the JVM's peak heap
 * while computing gradients, and the
 * gradient time, for the exact gradient and fractions 0.5, 0.1, 0.01, with ratios to exact. The
 * JVM figures count garbage not yet collected too, so they bound what a call needs from above.
 */
@Command(name = "bench-rad", mixinStandardHelpOptions = true,
    description = "Tape bytes, JVM peak heap and gradient time: exact vs randomized (reactor and MLP).")
public final class RadBenchmark implements Callable<Integer> {
  @Option(names = "--grid", description = "Reactor grid N. Default: ${DEFAULT-VALUE}.")
  int n = 32;

  @Option(names = "--steps", description = "Reactor steps S. Default: ${DEFAULT-VALUE}.")
  int steps = 4096;

  @Option(names = "--batch", description = "MLP mini-batch size. Default: ${DEFAULT-VALUE}.")
  int batch = 150;

  @Option(names = "--repeats", description = "Timed gradients per configuration (median). Default: ${DEFAULT-VALUE}.")
  int repeats = 7;

  @Option(names = "--fractions", split = ",", description = "Fractions to compare with exact. Default: ${DEFAULT-VALUE}.")
  List<Double> fractions = List.of(0.5, 0.1, 0.01);

  interface Gradient {
    void run(RadContext ctx);
  }

  /** The heap a fresh context's call holds between the forward and the reverse sweep. */
  interface Held {
    long between(RadContext ctx);
  }

  record Row(String config, long tape, long held, long heapPeak, double ms) {}

  @Override
  public Integer call() {
    double[] theta = ReactorProblem.initialTheta();
    report(String.format(Locale.ROOT, "reactor loss, N=%d, S=%d steps", n, steps),
        ctx -> ReactorGrad.loss(theta, n, steps, ReactorProblem.DT, new double[theta.length], ctx),
        ctx -> ReactorMemoryProbe.heldBetweenSweeps(theta, n, steps, ctx));

    int[] sizes = {784, 300, 300, 300, 10};
    MlpParams p = MlpParams.init(sizes, 1);
    MlpParams bar = p.zeros();
    SplittableRandom random = new SplittableRandom(2);
    double[][] x = new double[batch][784];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble();
      }
    }
    int[] labels = random.ints(batch, 0, 10).toArray();
    report(String.format(Locale.ROOT, "MLP 784-300-300-300-10 (ReLU, softmax cross-entropy), batch %d", batch),
        ctx -> MlpGrad.loss(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels,
            bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], ctx),
        ctx -> MlpMemoryProbe.heldBetweenSweeps(p, bar, x, labels, ctx));

    org.rad.samples.mlp.EjmlMlpParams m = org.rad.samples.mlp.EjmlMlpParams.of(p);
    org.rad.samples.mlp.EjmlMlpParams mBar = m.zeros();
    org.ejml.data.DMatrixRMaj xm = new org.ejml.data.DMatrixRMaj(x);
    report(String.format(Locale.ROOT, "the same MLP written with EJML (EjmlMlp), batch %d", batch),
        ctx -> org.rad.samples.mlp.EjmlMlpGrad.loss(m.w[0], m.b[0], m.w[1], m.b[1], m.w[2], m.b[2], m.w[3], m.b[3], xm,
            labels, mBar.w[0], mBar.b[0], mBar.w[1], mBar.b[1], mBar.w[2], mBar.b[2], mBar.w[3], mBar.b[3], ctx),
        ctx -> MlpMemoryProbe.heldBetweenSweeps(m, mBar, xm, labels, ctx));
    return 0;
  }

  private void report(String title, Gradient g, Held held) {
    List<java.util.function.Supplier<RadContext>> configs = new ArrayList<>();
    configs.add(RadContext::exact);
    for (double f : fractions) {
      configs.add(() -> RadContext.seeded(7).withFraction(f));
    }
    // Every configuration runs the same generated code: warm it up on all of them before timing
    // any, so the first row timed is not the one that pays for the JIT compiling the shared paths.
    for (int w = 0; w < 3; w++) {
      for (java.util.function.Supplier<RadContext> c : configs) {
        g.run(c.get());
      }
    }
    List<Row> rows = new ArrayList<>();
    rows.add(measure("exact", g, held, configs.get(0)));
    for (int k = 0; k < fractions.size(); k++) {
      rows.add(measure(String.format(Locale.ROOT, "f = %s", fractions.get(k)), g, held, configs.get(k + 1)));
    }
    Row exact = rows.get(0);
    System.out.println(title + ":");
    System.out.println("| gradient | tape MB | tape / exact | heap held between sweeps MB | held / exact"
        + " | JVM peak heap MB | ms per gradient | time / exact |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (Row r : rows) {
      System.out.printf(Locale.ROOT, "| %s | %.3f | %.4f | %.3f | %.4f | %.1f | %.1f | %.2f |%n", r.config, r.tape / 1e6,
          (double) r.tape / exact.tape, r.held / 1e6, (double) r.held / exact.held, r.heapPeak / 1e6, r.ms,
          r.ms / exact.ms);
    }
    System.out.println();
  }

  /**
   * Warms up on one context, then measures on a fresh one, so the heap the measured calls need
   * (their tapes included: a context keeps its tape chunks between calls) shows as the rise of the
   * JVM's peak heap above the live data before them.
   */
  private Row measure(String config, Gradient g, Held held, java.util.function.Supplier<RadContext> contexts) {
    RadContext warm = contexts.get();
    for (int w = 0; w < 3; w++) {
      g.run(warm); // warm-up: the JIT compiles this configuration's paths
    }
    warm = null;
    HeapMeter heap = HeapMeter.start();
    RadContext ctx = contexts.get();
    long[] times = new long[repeats];
    long tape = 0;
    for (int r = 0; r < repeats; r++) {
      long t0 = System.nanoTime();
      g.run(ctx);
      times[r] = System.nanoTime() - t0;
      tape = Math.max(tape, ctx.peakTapeBytes());
    }
    long peak = heap.peakBytes();
    long heldBytes = held.between(contexts.get());
    return new Row(config, tape, heldBytes, peak, Timing.medianMillis(times));
  }
}
