package org.rad.samples.reactor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.rad.runtime.Adam;
import org.rad.runtime.RadContext;
import org.rad.samples.util.HeapMeter;
import org.rad.samples.util.LossPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Optimizes the reactor's control parameters theta with Adam, using the gradient that the
 * processor generated from {@link Reactor#loss}: exactly (fraction 1) and with randomized AD
 * keeping a fraction of the field's records, fresh samples every iteration. Writes the loss curves
 * (CSV and a log-scale PNG like the paper's figure 7b) and a table of memory and time.
 */
@Command(name = "reactor", mixinStandardHelpOptions = true,
    description = "Reactor control (paper appendix B): Adam on theta with exact and randomized generated gradients.")
public final class ReactorCommand implements Callable<Integer> {
  @Option(names = "--grid", description = "Grid intervals N: dx = 1/N. Default: ${DEFAULT-VALUE}.")
  int n = ReactorProblem.GRID;

  @Option(names = "--steps", description = "Time steps S of dt = 1/4096. Default: ${DEFAULT-VALUE} (t from 0 to 1).")
  int steps = 4096;

  @Option(names = "--iterations", description = "Adam iterations per fraction. Default: ${DEFAULT-VALUE}.")
  int iterations = 300;

  @Option(names = "--fractions", split = ",",
      description = "Fractions of the field recorded per step; 1 is the exact gradient. Default: ${DEFAULT-VALUE}.")
  List<Double> fractions = List.of(1.0, 0.1, 0.01, 0.001);

  @Option(names = "--learning-rate", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
  double learningRate = 1e-2;

  @Option(names = "--seed", description = "Seed of the samples; also draws th1..th6 from U(-0.1, 0.1) instead of the paper's values.")
  Long seed;

  @Option(names = "--out", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("runs", "reactor");

  @Option(names = "--threads",
      description = "Fractions optimized at once (each run is single-threaded). Default: ${DEFAULT-VALUE}.")
  int threads = 1;

  @Option(names = "--paper",
      description = "The paper's full protocol: N=32, S=40960 steps (t to 10), 800 iterations, fractions 1, 0.1, 0.01,"
          + " 0.005, 0.002, 0.001, as many at a time as there are cores.")
  boolean paper;

  @Override
  public Integer call() throws IOException {
    if (paper) {
      n = ReactorProblem.GRID;
      steps = ReactorProblem.PAPER_STEPS;
      iterations = 800;
      fractions = List.of(1.0, 0.1, 0.01, 0.005, 0.002, 0.001);
      threads = Math.max(threads, Runtime.getRuntime().availableProcessors());
    }
    if (n < 2 || steps < 1 || iterations < 1 || !(learningRate > 0) || fractions.isEmpty()
        || fractions.stream().anyMatch(f -> !(f > 0 && f <= 1))) {
      System.err.println("error: need --grid >= 2, --steps >= 1, --iterations >= 1, a positive --learning-rate"
          + " and --fractions in (0, 1]");
      return 2;
    }
    Files.createDirectories(out);
    double[] theta0 = seed == null ? ReactorProblem.initialTheta() : ReactorProblem.randomTheta(seed);
    long sampleSeed = seed == null ? 1 : seed;
    System.out.printf(Locale.ROOT, "reactor: N=%d (%dx%d nodes), S=%d steps of dt=1/4096, %d Adam iterations, lr=%g, fractions %s%n",
        n, n + 1, n + 1, steps, iterations, learningRate, fractions);
    List<Run> runs = new ArrayList<>();
    long t0 = System.nanoTime();
    if (threads <= 1) {
      for (double f : fractions) {
        try (ProgressBar bar = bar(String.format("%-7s", label(f)), iterations)) {
          runs.add(optimize(label(f), theta0.clone(), context(f, sampleSeed), true, bar));
        }
      }
    } else {
      // Concurrent runs share one heap, so each run's memory is measured afterwards, alone.
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
      try (ProgressBar bar = bar(fractions.size() + " runs", (long) iterations * fractions.size())) {
        List<java.util.concurrent.Future<Run>> futures = new ArrayList<>();
        for (double f : fractions) {
          futures.add(pool.submit(() -> optimize(label(f), theta0.clone(), context(f, sampleSeed), false, bar)));
        }
        for (int k = 0; k < futures.size(); k++) {
          Run r = futures.get(k).get();
          runs.add(withMemory(r, fractions.get(k), theta0, sampleSeed));
        }
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("a reactor run failed", e);
      } finally {
        pool.shutdown();
      }
    }
    System.out.printf(Locale.ROOT, "wall time %.1f s for %d runs of %d iterations (%d at a time)%n",
        (System.nanoTime() - t0) / 1e9, fractions.size(), iterations, Math.max(1, threads));
    writeCsv(runs);
    LossPlot.write(out.resolve("loss.png"), "Reactor control: training loss by fraction of the field recorded",
        runs.stream().map(r -> LossPlot.Series.perIteration(r.label, r.losses)).toList());
    String table = table(runs);
    Files.writeString(out.resolve("table.md"), table);
    System.out.print(table);
    System.out.println("wrote " + out.resolve("loss.csv") + ", " + out.resolve("loss.png") + ", " + out.resolve("table.md"));
    return 0;
  }

  private static RadContext context(double f, long seed) {
    return f >= 1 ? RadContext.exact() : RadContext.seeded(seed).withFraction(f);
  }

  /** {@code r} with tape and JVM peak heap measured by two gradients of its fraction, run alone. */
  private Run withMemory(Run r, double f, double[] theta0, long seed) {
    RadContext ctx = context(f, seed);
    HeapMeter heap = HeapMeter.start();
    for (int k = 0; k < 2; k++) {
      ReactorGrad.loss(theta0.clone(), n, steps, ReactorProblem.DT, new double[theta0.length], ctx);
    }
    return new Run(r.label, r.losses, r.theta, ctx.peakTapeBytes(), heap.peakBytes(), r.secondsPerIteration);
  }

  private static String label(double f) {
    return f >= 1 ? "exact" : "f=" + (f >= 0.01 ? String.format(Locale.ROOT, "%.2f", f) : String.format(Locale.ROOT, "%.3f", f));
  }

  record Run(String label, double[] losses, double[] theta, long tapeBytes, long peakHeapBytes, double secondsPerIteration) {}

  private static ProgressBar bar(String task, long max) {
    return new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build();
  }

  /** Adam on theta with the generated gradient; steps {@code bar}, which may be shared by runs. */
  private Run optimize(String label, double[] theta, RadContext ctx, boolean measureHeap, ProgressBar bar) {
    Adam adam = new Adam(theta.length, learningRate);
    double[] losses = new double[iterations];
    long tape = 0;
    HeapMeter heap = measureHeap ? HeapMeter.start() : null;
    long t0 = System.nanoTime();
    for (int it = 0; it < iterations; it++) {
      double[] grad = new double[theta.length];
      losses[it] = ReactorGrad.loss(theta, n, steps, ReactorProblem.DT, grad, ctx);
      tape = Math.max(tape, ctx.peakTapeBytes());
      adam.step(theta, grad);
      bar.step();
      bar.setExtraMessage(String.format(Locale.ROOT, " %s loss %.6e", label, losses[it]));
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(label, losses, theta, tape, heap == null ? 0 : heap.peakBytes(), seconds / iterations);
  }

  private void writeCsv(List<Run> runs) throws IOException {
    StringBuilder csv = new StringBuilder("iteration");
    for (Run r : runs) {
      csv.append(',').append(r.label);
    }
    csv.append('\n');
    for (int it = 0; it < iterations; it++) {
      csv.append(it);
      for (Run r : runs) {
        csv.append(',').append(r.losses[it]);
      }
      csv.append('\n');
    }
    Files.writeString(out.resolve("loss.csv"), csv);
  }

  private static String table(List<Run> runs) {
    List<String> lines = new ArrayList<>();
    lines.add("| run | tape MB | JVM peak heap MB | s / iteration | final loss | final / exact |");
    lines.add("|---|---:|---:|---:|---:|---:|");
    double exact = runs.get(0).losses[runs.get(0).losses.length - 1];
    for (Run r : runs) {
      double last = r.losses[r.losses.length - 1];
      lines.add(String.format(Locale.ROOT, "| %s | %.3f | %.1f | %.3f | %.6e | %.4f |", r.label, r.tapeBytes / 1e6,
          r.peakHeapBytes / 1e6, r.secondsPerIteration, last, last / exact));
    }
    return String.join("\n", lines) + "\n";
  }
}
