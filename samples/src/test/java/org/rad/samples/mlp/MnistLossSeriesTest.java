package org.rad.samples.mlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rad.samples.util.LossPlot;

/** The MNIST plot's x values are the iterations of the evaluations, not their index (0, 1, 2, ...). */
class MnistLossSeriesTest {
  @Test
  void xIsTheIteration() {
    MlpTraining.Result r = new MlpTraining.Result(new MlpTraining.Config("baseline", 150, 1.0, false),
        List.of(new MlpTraining.Evaluation(500, 0.4, 0.9), new MlpTraining.Evaluation(1000, 0.2, 0.95),
            new MlpTraining.Evaluation(1200, 0.1, 0.96)), 0.01, 1000);
    List<LossPlot.Series> series = MnistCommand.lossSeries(List.of(r));
    assertEquals(1, series.size());
    assertEquals("baseline", series.get(0).label());
    assertArrayEquals(new double[] {500, 1000, 1200}, series.get(0).iterations());
    assertArrayEquals(new double[] {0.4, 0.2, 0.1}, series.get(0).losses());
  }
}
