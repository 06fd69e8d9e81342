package org.rad.samples.mlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rad.samples.data.Mnist;

/**
 * The training loop on a small synthetic problem (two well-separated classes): exact and
 * randomized gradients both learn it, with fixed seeds.
 */
class MlpTrainingTest {
  static Mnist.Split split(SplittableRandom r, int n) {
    double[][] x = new double[n][12];
    int[] y = new int[n];
    for (int k = 0; k < n; k++) {
      y[k] = r.nextInt(2);
      for (int j = 0; j < 12; j++) {
        x[k][j] = r.nextDouble(0, 0.3) + (j < 6 == (y[k] == 0) ? 0.7 : 0);
      }
    }
    return new Mnist.Split(x, y);
  }

  @Test
  void exactAndRandomizedTrainingBothLearnASeparableProblem() {
    SplittableRandom r = new SplittableRandom(3);
    Mnist.Data data = new Mnist.Data(split(r, 200), split(r, 100));
    int[] sizes = {12, 8, 8, 8, 2};
    for (MlpTraining.Config c : new MlpTraining.Config[] {
        new MlpTraining.Config("exact", 16, 1.0, false),
        new MlpTraining.Config("rad", 16, 0.5, false),
        new MlpTraining.Config("rad same", 16, 0.5, true)}) {
      MlpTraining.Result result = MlpTraining.train(c, data, sizes, 300, 100, 1e-2, 5, it -> { });
      assertEquals(3, result.evaluations().size());
      double accuracy = result.evaluations().get(2).testAccuracy();
      assertTrue(accuracy >= 0.95, c.label() + ": test accuracy " + accuracy);
      assertTrue(result.evaluations().get(2).trainLoss() < result.evaluations().get(0).trainLoss(), c.label());
    }
  }
}
