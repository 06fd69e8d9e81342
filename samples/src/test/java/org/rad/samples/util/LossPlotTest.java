package org.rad.samples.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loss plot's axes, as a person reads them: x ticks far enough apart that their labels do not
 * run together, and a log loss axis with several labels even when the curves span a decade or two
 * (the reactor plot had ticks every 12 iterations on 650 pixels, and one label on its log axis).
 */
class LossPlotTest {
  private static List<LossPlot.Series> decayingRuns(int iterations, double from, double to) {
    double[] a = new double[iterations];
    double[] b = new double[iterations];
    for (int i = 0; i < iterations; i++) {
      a[i] = from * Math.pow(to / from, i / (iterations - 1.0));
      b[i] = 1.5 * a[i];
    }
    return List.of(LossPlot.Series.perIteration("exact", a), LossPlot.Series.perIteration("f=0.1", b));
  }

  @Test
  void xTicksAreARoundStepWithRoomForTheirLabels() {
    for (int iterations : new int[] {2, 10, 300, 800, 4096}) {
      int pixels = 650;
      LossPlot.Axis x = LossPlot.xAxis(decayingRuns(iterations, 1, 0.5), pixels);
      List<Double> ticks = x.ticks();
      assertTrue(ticks.size() >= 2, iterations + ": " + ticks);
      assertTrue(ticks.size() <= pixels / LossPlot.X_LABEL_ROOM + 1, iterations + ": " + ticks);
      assertEquals(0.0, ticks.get(0), iterations + ": starts at iteration 0");
      double step = ticks.get(1) - ticks.get(0);
      assertEquals(step, LossPlot.niceStep(step), 0, "a 1-2-5 step: " + step);
      for (int k = 0; k + 1 < ticks.size(); k++) {
        assertEquals(step, ticks.get(k + 1) - ticks.get(k), 1e-9);
        assertTrue((x.fraction(ticks.get(k + 1)) - x.fraction(ticks.get(k))) * pixels >= LossPlot.X_LABEL_ROOM,
            iterations + ": labels " + ticks.get(k) + " and " + ticks.get(k + 1) + " too close");
      }
      assertTrue(ticks.get(ticks.size() - 1) <= iterations - 1);
      assertEquals(ticks.size(), new HashSet<>(x.labels()).size(), "distinct labels " + x.labels());
    }
    assertEquals(List.of("0", "50", "100", "150", "200", "250"), LossPlot.xAxis(decayingRuns(300, 1, 0.5), 650).labels());
  }

  @Test
  void logAxisLabelsMoreThanThePowersOfTen() {
    // the reactor's default run: 3.3e-7 to 1.5e-5, about one and a half decades
    LossPlot.Axis y = LossPlot.yAxis(decayingRuns(300, 1e-5, 3.3e-7), 495);
    assertTrue(y.log());
    assertTrue(y.labels().size() >= 4, "labels " + y.labels());
    assertTrue(y.labels().containsAll(List.of("1e-6", "2e-6", "5e-6", "1e-5")), "labels " + y.labels());
    // within one decade and a bit: still several labels
    LossPlot.Axis narrow = LossPlot.yAxis(decayingRuns(300, 2e-3, 1.5e-4), 495);
    assertTrue(narrow.log());
    assertTrue(narrow.labels().size() >= 3, "labels " + narrow.labels());
    // twenty decades: one label per few decades, never crowded
    LossPlot.Axis wide = LossPlot.yAxis(decayingRuns(300, 1, 1e-20), 495);
    assertTrue(wide.labels().size() >= 3 && wide.labels().size() <= 495 / LossPlot.Y_LABEL_ROOM, "labels " + wide.labels());
    for (LossPlot.Axis a : List.of(y, narrow, wide)) {
      for (int k = 0; k + 1 < a.ticks().size(); k++) {
        assertTrue((a.fraction(a.ticks().get(k + 1)) - a.fraction(a.ticks().get(k))) * 495 >= LossPlot.Y_LABEL_ROOM - 1e-9,
            "labels " + a.labels() + " too close");
      }
      for (double t : a.ticks()) {
        assertTrue(t >= a.min() && t <= a.max());
      }
    }
  }

  @Test
  void lessThanADecadeIsALinearAxis() {
    LossPlot.Axis y = LossPlot.yAxis(decayingRuns(50, 0.9, 0.3), 495);
    assertFalse(y.log());
    assertTrue(y.labels().size() >= 3, "labels " + y.labels());
    assertEquals(y.labels().size(), new HashSet<>(y.labels()).size());
  }

  @Test
  void writesThePng(@TempDir Path dir) throws Exception {
    Path png = dir.resolve("loss.png");
    double[] withNaN = {1, 0.5, Double.NaN, 0.2, 0.1};
    LossPlot.write(png, "title", List.of(LossPlot.Series.perIteration("a", withNaN), decayingRuns(5, 1, 0.01).get(0)));
    BufferedImage image = ImageIO.read(Files.newInputStream(png));
    assertEquals(LossPlot.WIDTH, image.getWidth());
    assertEquals(LossPlot.HEIGHT, image.getHeight());
  }
}
