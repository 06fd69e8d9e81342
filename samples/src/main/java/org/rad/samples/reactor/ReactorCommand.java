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
 * processor generated from {@link Reactor#loss}, and writes the loss curve (CSV and PNG) and a
 * table of memory and time.
 */
@Command(name = "reactor", mixinStandardHelpOptions = true,
    description = "Reactor control (paper appendix B): Adam on theta with generated gradients.")
public final class ReactorCommand implements Callable<Integer> {
  @Option(names = "--grid", description = "Grid intervals N: dx = 1/N. Default: ${DEFAULT-VALUE}.")
  int n = ReactorProblem.GRID;

  @Option(names = "--steps", description = "Time steps S of dt = 1/4096. Default: ${DEFAULT-VALUE} (t from 0 to 1).")
  int steps = 4096;

  @Option(names = "--iterations", description = "Adam iterations. Default: ${DEFAULT-VALUE}.")
  int iterations = 200;

  @Option(names = "--learning-rate", description = "Adam learning rate. Default: ${DEFAULT-VALUE}.")
  double learningRate = 1e-2;

  @Option(names = "--seed", description = "Draw th1..th6 from U(-0.1, 0.1) with this seed instead of the paper's values.")
  Long seed;

  @Option(names = "--out", description = "Output folder. Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("runs", "reactor");

  @Option(names = "--paper", description = "The paper's full protocol: N=32, S=40960 steps (t to 10), 800 iterations.")
  boolean paper;

  @Override
  public Integer call() throws IOException {
    if (paper) {
      n = ReactorProblem.GRID;
      steps = ReactorProblem.PAPER_STEPS;
      iterations = 800;
    }
    if (n < 2 || steps < 1 || iterations < 1 || !(learningRate > 0)) {
      System.err.println("error: need --grid >= 2, --steps >= 1, --iterations >= 1 and a positive --learning-rate");
      return 2;
    }
    Files.createDirectories(out);
    double[] theta = seed == null ? ReactorProblem.initialTheta() : ReactorProblem.randomTheta(seed);
    System.out.printf(Locale.ROOT, "reactor: N=%d (%dx%d nodes), S=%d steps of dt=1/4096, %d Adam iterations, lr=%g%n",
        n, n + 1, n + 1, steps, iterations, learningRate);
    Run exact = optimize("exact", theta.clone(), RadContext.exact());
    List<Run> runs = List.of(exact);
    writeCsv(runs);
    LossPlot.write(out.resolve("loss.png"), "Reactor control: training loss", runs.stream().map(r -> new LossPlot.Series(r.label, r.losses)).toList());
    String table = table(runs);
    Files.writeString(out.resolve("table.md"), table);
    System.out.print(table);
    System.out.println("wrote " + out.resolve("loss.csv") + ", " + out.resolve("loss.png") + ", " + out.resolve("table.md"));
    return 0;
  }

  record Run(String label, double[] losses, double[] theta, long tapeBytes, long peakHeapBytes, double secondsPerIteration) {}

  private Run optimize(String label, double[] theta, RadContext ctx) {
    Adam adam = new Adam(theta.length, learningRate);
    double[] losses = new double[iterations];
    long tape = 0;
    HeapMeter heap = HeapMeter.start();
    long t0 = System.nanoTime();
    try (ProgressBar bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(iterations)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build()) {
      for (int it = 0; it < iterations; it++) {
        double[] grad = new double[theta.length];
        losses[it] = ReactorGrad.loss(theta, n, steps, ReactorProblem.DT, grad, ctx);
        tape = Math.max(tape, ctx.peakTapeBytes());
        adam.step(theta, grad);
        bar.step();
        bar.setExtraMessage(String.format(Locale.ROOT, " loss %.6e", losses[it]));
      }
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Run(label, losses, theta, tape, heap.peakBytes(), seconds / iterations);
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
    lines.add("| run | tape MB | JVM peak heap MB | s / iteration | final loss |");
    lines.add("|---|---:|---:|---:|---:|");
    for (Run r : runs) {
      lines.add(String.format(Locale.ROOT, "| %s | %.2f | %.1f | %.3f | %.6e |", r.label, r.tapeBytes / 1e6,
          r.peakHeapBytes / 1e6, r.secondsPerIteration, r.losses[r.losses.length - 1]));
    }
    return String.join("\n", lines) + "\n";
  }
}
