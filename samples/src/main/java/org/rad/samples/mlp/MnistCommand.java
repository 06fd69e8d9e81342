package org.rad.samples.mlp;

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
import org.rad.samples.data.Mnist;
import org.rad.samples.util.LossPlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The paper's MNIST experiment (section 4): for a fixed memory budget, does sampling activations
 * (RAD) train faster than shrinking the mini-batch? Four runs of the 784-300-300-300-10 MLP:
 * baseline (batch 150, exact), reduced batch (22, exact: about RAD's memory), RAD same sample and
 * RAD different sample (batch 150, f = 0.1). {@code --dataset fashion} runs it on Fashion-MNIST,
 * a drop-in replacement of MNIST in the same layout that is harder to classify.
 */
@Command(name = "mnist", mixinStandardHelpOptions = true,
    description = "MNIST (or Fashion-MNIST) MLP: exact vs reduced batch vs randomized AD (paper section 4).")
public final class MnistCommand implements Callable<Integer> {
  @Option(names = "--dataset", paramLabel = "mnist|fashion",
      description = "The dataset: mnist (bin/fetch-mnist) or fashion (Fashion-MNIST: bin/fetch-fashion-mnist, or"
          + " sudo apt-get install dataset-fashion-mnist). Default: ${DEFAULT-VALUE}.")
  String dataset = "mnist";

  @Option(names = {"--data-dir", "--data"}, paramLabel = "DIR",
      description = "Folder with the four IDX files (raw or .gz). Default: data/mnist for mnist;"
          + " /usr/share/datasets/fashion-mnist (Debian's package), else data/fashion-mnist, for fashion.")
  Path data;

  @Option(names = "--iterations", description = "Training iterations per run. Default: ${DEFAULT-VALUE}.")
  int iterations = 1000;

  @Option(names = "--paper", description = "The paper's 20,000 iterations.")
  boolean paper;

  @Option(names = "--eval-every", description = "Iterations between test evaluations. Default: ${DEFAULT-VALUE}.")
  int evalEvery = 250;

  @Option(names = "--learning-rate", description = "Adam learning rate (x0.6 every 2000 iterations). Default: ${DEFAULT-VALUE}.")
  double learningRate = 1e-3;

  @Option(names = "--seed", description = "Seed of initialization, mini-batches and samples. Default: ${DEFAULT-VALUE}.")
  long seed = 1;

  @Option(names = "--out", description = "Output folder. Default: runs/mnist or runs/fashion-mnist.")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (paper) {
      iterations = 20_000;
    }
    if (iterations < 1 || evalEvery < 1 || !(learningRate > 0)) {
      System.err.println("error: need --iterations >= 1, --eval-every >= 1 and a positive --learning-rate");
      return 2;
    }
    Mnist.Dataset set;
    try {
      set = Mnist.Dataset.forName(dataset);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    // Names files, plot and table after the dataset, so MNIST and Fashion-MNIST runs sit side by side.
    String stem = set == Mnist.FASHION ? "fashion-mnist" : "mnist";
    Path folder = data != null ? data : set.defaultFolder();
    if (out == null) {
      out = Path.of("runs", stem);
    }
    Mnist.Data d;
    try {
      d = Mnist.load(set, folder, true);
    } catch (IOException e) {
      System.err.println("error: " + e.getMessage());
      return 2;
    }
    System.out.println(set.name() + " from " + folder + ": " + d.train().size() + " training and " + d.test().size()
        + " test images (checksums verified)");
    Files.createDirectories(out);
    List<MlpTraining.Config> configs = List.of(
        new MlpTraining.Config("baseline (batch 150)", 150, 1.0, false),
        new MlpTraining.Config("reduced batch (22)", 22, 1.0, false),
        new MlpTraining.Config("RAD same sample (150, f=0.1)", 150, 0.1, true),
        new MlpTraining.Config("RAD different sample (150, f=0.1)", 150, 0.1, false));
    int[] sizes = {784, 300, 300, 300, 10};
    List<MlpTraining.Result> results = new ArrayList<>();
    for (MlpTraining.Config c : configs) {
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName(c.label()).setInitialMax(iterations)
          .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build()) {
        results.add(MlpTraining.train(c, d, sizes, iterations, evalEvery, learningRate, seed, it -> bar.stepTo(it)));
      }
    }
    StringBuilder csv = new StringBuilder("run,iteration,train_loss,test_accuracy\n");
    for (MlpTraining.Result r : results) {
      for (MlpTraining.Evaluation e : r.evaluations()) {
        csv.append('"').append(r.config().label()).append('"').append(',').append(e.iteration()).append(',')
            .append(e.trainLoss()).append(',').append(e.testAccuracy()).append('\n');
      }
    }
    Path csvFile = out.resolve(stem + ".csv");
    Files.writeString(csvFile, csv);
    LossPlot.write(out.resolve("train-loss.png"), set.name() + " MLP: train loss (evaluated every " + evalEvery + " iterations)",
        lossSeries(results));
    StringBuilder table = new StringBuilder("| run | final train loss | test accuracy | tape MB | s / iteration |\n|---|---:|---:|---:|---:|\n");
    for (MlpTraining.Result r : results) {
      MlpTraining.Evaluation last = r.evaluations().get(r.evaluations().size() - 1);
      table.append(String.format(Locale.ROOT, "| %s | %.4f | %.4f | %.3f | %.3f |%n", r.config().label(), last.trainLoss(),
          last.testAccuracy(), r.tapeBytes() / 1e6, r.secondsPerIteration()));
    }
    Files.writeString(out.resolve("table.md"), table);
    System.out.print(table);
    System.out.println("wrote " + csvFile + ", " + out.resolve("train-loss.png") + ", " + out.resolve("table.md"));
    return 0;
  }

  /** Each run's train loss at the iterations where it was evaluated (the plot's x is the iteration). */
  static List<LossPlot.Series> lossSeries(List<MlpTraining.Result> results) {
    List<LossPlot.Series> series = new ArrayList<>();
    for (MlpTraining.Result r : results) {
      double[] iterations = r.evaluations().stream().mapToDouble(MlpTraining.Evaluation::iteration).toArray();
      double[] losses = r.evaluations().stream().mapToDouble(MlpTraining.Evaluation::trainLoss).toArray();
      series.add(new LossPlot.Series(r.config().label(), iterations, losses));
    }
    return series;
  }
}
