package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AdamTest {
  @Test
  void firstStepMovesEachParameterByTheLearningRate() {
    // With bias correction the first step is lr * g / (|g| + eps): lr in the direction of -g.
    Adam adam = new Adam(2, 0.1);
    double[] p = {1, 1};
    adam.step(p, new double[] {3, -0.5});
    assertEquals(0.9, p[0], 1e-8);
    assertEquals(1.1, p[1], 1e-8);
  }

  @Test
  void minimizesAQuadratic() {
    Adam adam = new Adam(2, 0.05);
    double[] p = {3, -2};
    for (int k = 0; k < 2000; k++) {
      double[] g = {2 * (p[0] - 1), 20 * (p[1] + 0.5)};
      adam.step(p, g);
    }
    assertEquals(1, p[0], 1e-3);
    assertEquals(-0.5, p[1], 1e-3);
  }

  @Test
  void rejectsMismatchedSizes() {
    Adam adam = new Adam(2, 0.1);
    assertThrows(IllegalArgumentException.class, () -> adam.step(new double[3], new double[3]));
  }

  /** Found by a user-style test: beta1 = 1.5, an infinite learning rate and a negative size were accepted or failed obscurely. */
  @Test
  void rejectsParametersOutsideTheirRanges() {
    assertThrows(IllegalArgumentException.class, () -> new Adam(2, Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new Adam(-1, 0.1));
    assertThrows(IllegalArgumentException.class, () -> new Adam(2, 0.1, 1.5, 0.999, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Adam(2, 0.1, 0.9, 1.0, 1e-8));
    assertThrows(IllegalArgumentException.class, () -> new Adam(2, 0.1, 0.9, 0.999, 0));
    new Adam(0, 0.1, 0, 0, 1e-8); // the edges that are allowed
  }
}
