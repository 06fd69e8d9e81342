package org.rad.samples.mlp;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.rad.runtime.Adam;
import org.rad.runtime.RadContext;
import org.rad.samples.data.Mnist;

/**
 * Trains the 784-300-300-300-10 MLP as the paper's section 4 does: Adam, the learning rate lowered
 * by a factor 0.6 every 2000 iterations, mini-batches drawn with replacement, with exact or
 * randomized generated gradients.
 */
public final class MlpTraining {
  /** How one run trains: its label, mini-batch size, and randomized fraction (1 = exact). */
  public record Config(String label, int batch, double fraction, boolean sameSample) {}

  /** Train loss (mean over the iterations since the last evaluation) and test accuracy. */
  public record Evaluation(int iteration, double trainLoss, double testAccuracy) {}

  public record Result(Config config, List<Evaluation> evaluations, double secondsPerIteration, long tapeBytes) {}

  private MlpTraining() {}

  public static Result train(Config config, Mnist.Data data, int[] sizes, int iterations, int evalEvery,
      double learningRate, long seed, IntConsumer progress) {
    MlpParams p = MlpParams.init(sizes, seed);
    double[] flat = p.flatten();
    Adam adam = new Adam(flat.length, learningRate);
    SplittableRandom random = new SplittableRandom(seed + 1);
    RadContext ctx = config.fraction() >= 1 ? RadContext.exact() : RadContext.seeded(seed).withFraction(config.fraction());
    double[][] x = new double[config.batch()][];
    int[] y = new int[config.batch()];
    List<Evaluation> evaluations = new ArrayList<>();
    double lossSum = 0;
    int lossCount = 0;
    long tape = 0;
    long evaluating = 0;
    long t0 = System.nanoTime();
    for (int it = 1; it <= iterations; it++) {
      for (int k = 0; k < config.batch(); k++) {
        int e = random.nextInt(data.train().size()); // with replacement
        x[k] = data.train().images()[e];
        y[k] = data.train().labels()[e];
      }
      MlpParams bar = p.zeros();
      double loss = config.sameSample()
          ? MlpGrad.lossSameSample(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, y,
              bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], ctx)
          : MlpGrad.loss(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, y,
              bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], ctx);
      tape = Math.max(tape, ctx.peakTapeBytes());
      lossSum += loss;
      lossCount++;
      double decay = Math.pow(0.6, (it - 1) / 2000);
      adam.step(flat, bar.flatten(), decay);
      p.assign(flat);
      if (it % evalEvery == 0 || it == iterations) {
        long e0 = System.nanoTime();
        evaluations.add(new Evaluation(it, lossSum / lossCount, accuracy(p, data.test())));
        evaluating += System.nanoTime() - e0;
        lossSum = 0;
        lossCount = 0;
      }
      progress.accept(it);
    }
    double seconds = (System.nanoTime() - t0 - evaluating) / 1e9; // training only
    return new Result(config, evaluations, seconds / iterations, tape);
  }

  static double accuracy(MlpParams p, Mnist.Split test) {
    int[] predicted = Mlp.predict(p, test.images());
    int right = 0;
    for (int k = 0; k < predicted.length; k++) {
      if (predicted[k] == test.labels()[k]) {
        right++;
      }
    }
    return (double) right / predicted.length;
  }
}
