package org.rad.samples.util;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Training curves on a log-scale loss axis, one line per run, written as a PNG. */
public final class LossPlot {
  /** One curve: its legend and its loss per iteration. */
  public record Series(String label, double[] losses) {}

  private LossPlot() {}

  public static void write(Path png, String title, List<Series> series) throws IOException {
    double min = Double.POSITIVE_INFINITY;
    double max = 0;
    for (Series s : series) {
      for (double v : s.losses()) {
        if (v > 0) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    }
    // A log axis labels only powers of ten: within one decade it would show no numbers at all.
    boolean log = max / min >= 10;
    XYChart chart = new XYChartBuilder().width(900).height(600).title(title).xAxisTitle("iteration")
        .yAxisTitle(log ? "loss (log scale)" : "loss").build();
    chart.getStyler().setYAxisLogarithmic(log);
    chart.getStyler().setYAxisDecimalPattern("0.000E0");
    chart.getStyler().setXAxisTickMarkSpacingHint(90);
    chart.getStyler().setMarkerSize(0);
    for (Series s : series) {
      double[] x = new double[s.losses().length];
      for (int i = 0; i < x.length; i++) {
        x[i] = i;
      }
      chart.addSeries(s.label(), x, s.losses()).setMarker(SeriesMarkers.NONE);
    }
    String path = png.toString();
    BitmapEncoder.saveBitmap(chart, path.endsWith(".png") ? path.substring(0, path.length() - 4) : path, BitmapEncoder.BitmapFormat.PNG);
  }
}
