package org.rad.samples.util;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/**
 * Training curves, loss against iteration, one line per run, written as a PNG; the loss axis is
 * logarithmic when the losses span a factor of ten or more.
 *
 * <p>It draws with Java2D and places its own ticks: XChart, used before, put a tick at nearly
 * every data point of an evenly spaced x axis (the labels ran together) and labelled a log axis
 * only at powers of ten (one label for a curve within a decade or two). Here the x ticks are a
 * 1-2-5 step chosen for the width, and a log axis labels 1, 2 and 5 (or every mantissa, or every
 * k-th decade) times powers of ten, as many as fit.
 */
public final class LossPlot {
  static final int WIDTH = 900;
  static final int HEIGHT = 600;
  /** Least room, in pixels, between the starts of two x labels, and between two y labels. */
  static final int X_LABEL_ROOM = 80;
  static final int Y_LABEL_ROOM = 24;

  private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x9467bd),
      new Color(0x2ca02c), new Color(0xd62728), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf)};

  /** One curve: its legend, and its loss at each of the given iterations. */
  public record Series(String label, double[] iterations, double[] losses) {
    public Series {
      if (iterations.length != losses.length) {
        throw new IllegalArgumentException(label + ": " + iterations.length + " iterations for " + losses.length + " losses");
      }
    }

    /** Losses at iterations 0, 1, 2, ... */
    public static Series perIteration(String label, double[] losses) {
      double[] iterations = new double[losses.length];
      for (int i = 0; i < iterations.length; i++) {
        iterations[i] = i;
      }
      return new Series(label, iterations, losses);
    }
  }

  /** An axis: its range, whether it is logarithmic, and its labelled ticks (values and text). */
  record Axis(double min, double max, boolean log, List<Double> ticks, List<String> labels) {
    /** Where {@code v} falls, 0 at {@code min} to 1 at {@code max}. */
    double fraction(double v) {
      return log ? (Math.log10(v) - Math.log10(min)) / (Math.log10(max) - Math.log10(min)) : (v - min) / (max - min);
    }
  }

  private LossPlot() {}

  /** Draws {@code series} under {@code title} and writes the chart to {@code png} (900 x 600). */
  public static void write(Path png, String title, List<Series> series) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      draw(g, title, series);
    } finally {
      g.dispose();
    }
    ImageIO.write(image, "png", png.toFile());
  }

  private static void draw(Graphics2D g, String title, List<Series> series) {
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, WIDTH, HEIGHT);
    Font plain = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    FontMetrics fm = g.getFontMetrics(plain);
    int legendWidth = 0;
    for (Series s : series) {
      legendWidth = Math.max(legendWidth, fm.stringWidth(s.label()));
    }
    legendWidth += 60; // the line sample, the gaps and the box
    int top = 45;
    int bottom = HEIGHT - 60;
    Axis y = yAxis(series, bottom - top);
    int yLabelWidth = 0;
    for (String l : y.labels()) {
      yLabelWidth = Math.max(yLabelWidth, fm.stringWidth(l));
    }
    int left = 40 + yLabelWidth;
    int right = WIDTH - legendWidth - 30;
    Axis x = xAxis(series, right - left);

    g.setFont(bold);
    g.setColor(Color.BLACK);
    g.drawString(title, (left + right - g.getFontMetrics().stringWidth(title)) / 2, 28);

    // grid, ticks and labels
    g.setFont(plain);
    Color grid = new Color(0xdddddd);
    if (y.log()) {
      g.setColor(new Color(0xf0f0f0)); // unlabelled 1..9 x 10^k, so the eye can read off the scale
      for (double v : mantissaTicks(y.min(), y.max(), List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), 1)) {
        int py = (int) Math.round(bottom - y.fraction(v) * (bottom - top));
        g.drawLine(left, py, right, py);
      }
    }
    for (int k = 0; k < y.ticks().size(); k++) {
      int py = (int) Math.round(bottom - y.fraction(y.ticks().get(k)) * (bottom - top));
      g.setColor(grid);
      g.drawLine(left, py, right, py);
      g.setColor(Color.BLACK);
      g.drawLine(left - 4, py, left, py);
      String l = y.labels().get(k);
      g.drawString(l, left - 8 - fm.stringWidth(l), py + fm.getAscent() / 2 - 1);
    }
    for (int k = 0; k < x.ticks().size(); k++) {
      int px = (int) Math.round(left + x.fraction(x.ticks().get(k)) * (right - left));
      g.setColor(grid);
      g.drawLine(px, top, px, bottom);
      g.setColor(Color.BLACK);
      g.drawLine(px, bottom, px, bottom + 4);
      String l = x.labels().get(k);
      g.drawString(l, px - fm.stringWidth(l) / 2, bottom + 6 + fm.getAscent());
    }
    g.setColor(Color.BLACK);
    g.drawRect(left, top, right - left, bottom - top);
    g.setFont(bold);
    FontMetrics bm = g.getFontMetrics();
    g.drawString("iteration", (left + right - bm.stringWidth("iteration")) / 2, HEIGHT - 18);
    String yTitle = y.log() ? "loss (log scale)" : "loss";
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yTitle, -(top + bottom + bm.stringWidth(yTitle)) / 2, 20);
    g.setTransform(saved);

    // curves, clipped to the plot; a point the axis cannot show (NaN, or <= 0 on a log axis) breaks the line
    g.setClip(left, top, right - left + 1, bottom - top + 1);
    g.setStroke(new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (int s = 0; s < series.size(); s++) {
      Path2D.Double path = new Path2D.Double();
      boolean pen = false;
      Series c = series.get(s);
      for (int i = 0; i < c.losses().length; i++) {
        double v = c.losses()[i];
        if (!Double.isFinite(v) || (y.log() && v <= 0)) {
          pen = false;
          continue;
        }
        double px = left + x.fraction(c.iterations()[i]) * (right - left);
        double py = bottom - y.fraction(v) * (bottom - top);
        if (pen) {
          path.lineTo(px, py);
        } else {
          path.moveTo(px, py);
          pen = true;
        }
      }
      g.setColor(COLORS[s % COLORS.length]);
      g.draw(path);
    }
    g.setClip(null);

    // legend
    g.setFont(plain);
    int lx = right + 20;
    int ly = (top + bottom) / 2 - series.size() * 10;
    g.setColor(Color.WHITE);
    g.fillRect(lx, ly - 8, legendWidth - 10, series.size() * 20 + 16);
    g.setColor(Color.GRAY);
    g.drawRect(lx, ly - 8, legendWidth - 10, series.size() * 20 + 16);
    for (int s = 0; s < series.size(); s++) {
      int row = ly + 8 + s * 20;
      g.setColor(COLORS[s % COLORS.length]);
      g.drawLine(lx + 8, row, lx + 32, row);
      g.setColor(Color.BLACK);
      g.drawString(series.get(s).label(), lx + 40, row + fm.getAscent() / 2 - 1);
    }
  }

  /**
   * The iteration axis over {@code pixels}: from iteration 0 (where training starts, also when the
   * first loss is from a later evaluation) to the last, a 1-2-5 step.
   */
  static Axis xAxis(List<Series> series, int pixels) {
    double min = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (double it : s.iterations()) {
        min = Math.min(min, it);
        max = Math.max(max, it);
      }
    }
    if (!(max > min)) {
      max = min + 1; // no curve, or only iteration 0
    }
    // iterations are whole numbers: no step below 1
    double step = Math.max(1, niceStep((max - min) / Math.max(1, pixels / X_LABEL_ROOM)));
    return linear(min, max, step);
  }

  /**
   * The loss axis over {@code pixels}: logarithmic when the positive losses span a factor of ten or
   * more, else linear; NaN and infinite losses are left out.
   */
  static Axis yAxis(List<Series> series, int pixels) {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double minPositive = Double.POSITIVE_INFINITY;
    for (Series s : series) {
      for (double v : s.losses()) {
        if (Double.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
          if (v > 0) {
            minPositive = Math.min(minPositive, v);
          }
        }
      }
    }
    if (!Double.isFinite(min)) {
      return linear(0, 1, 0.2);
    }
    int labels = Math.max(2, pixels / Y_LABEL_ROOM);
    if (max > 0 && max / minPositive >= 10) {
      return logarithmic(minPositive, max, labels);
    }
    double pad = max > min ? (max - min) * 0.04 : Math.max(Math.abs(max) * 0.1, 1e-12);
    min -= pad;
    max += pad;
    return linear(min, max, niceStep((max - min) / labels));
  }

  /** 1, 2 or 5 times a power of ten, the smallest at least {@code raw}. */
  static double niceStep(double raw) {
    double decade = Math.pow(10, Math.floor(Math.log10(raw)));
    for (int m : new int[] {1, 2, 5, 10}) {
      if (m * decade >= raw * (1 - 1e-9)) {
        return m * decade;
      }
    }
    return 10 * decade;
  }

  private static Axis linear(double min, double max, double step) {
    List<Double> ticks = new ArrayList<>();
    for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
      ticks.add(k * step);
    }
    return new Axis(min, max, false, ticks, labels(ticks, step));
  }

  /**
   * A log axis from a little below {@code min} to a little above {@code max}, labelled with the
   * densest set of ticks that has at most {@code labels} of them and keeps neighbours apart:
   * every mantissa, 1-2-5, 1-3, each decade, then every 2nd, 5th, 10th ... decade.
   */
  private static Axis logarithmic(double min, double max, int labels) {
    double lo = Math.log10(min);
    double hi = Math.log10(max);
    double pad = (hi - lo) * 0.03;
    double axisMin = Math.pow(10, lo - pad);
    double axisMax = Math.pow(10, hi + pad);
    // the least gap, as a fraction of the axis, between two labels: the room of one label
    double minGap = 1.0 / labels;
    double span = hi - lo + 2 * pad;
    List<List<Integer>> sets = List.of(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9), List.of(1, 2, 5), List.of(1, 3), List.of(1));
    for (List<Integer> mantissas : sets) {
      // the closest two of a set are its two largest mantissas' neighbours: 9 and 10, 5 and 10, ...
      double closest = closestLogGap(mantissas) / span;
      List<Double> ticks = mantissaTicks(axisMin, axisMax, mantissas, 1);
      if (closest >= minGap && ticks.size() <= labels && ticks.size() >= 2) {
        return new Axis(axisMin, axisMax, true, ticks, logLabels(ticks));
      }
    }
    for (int every = 2; ; every = (int) niceStep(every + 1)) {
      List<Double> ticks = mantissaTicks(axisMin, axisMax, List.of(1), every);
      if (every / span >= minGap && ticks.size() <= labels) {
        return new Axis(axisMin, axisMax, true, ticks, logLabels(ticks));
      }
    }
  }

  /** The least distance in decades between neighbouring ticks m x 10^k of the mantissas. */
  private static double closestLogGap(List<Integer> mantissas) {
    double gap = Double.POSITIVE_INFINITY;
    for (int i = 0; i < mantissas.size(); i++) {
      double next = i + 1 < mantissas.size() ? mantissas.get(i + 1) : 10 * mantissas.get(0);
      gap = Math.min(gap, Math.log10(next / mantissas.get(i)));
    }
    return gap;
  }

  /** m x 10^k in [min, max] for each mantissa m and each {@code every}-th decade k. */
  static List<Double> mantissaTicks(double min, double max, List<Integer> mantissas, int every) {
    List<Double> ticks = new ArrayList<>();
    int first = (int) Math.floor(Math.log10(min));
    first -= Math.floorMod(first, every);
    for (int k = first; k <= (int) Math.ceil(Math.log10(max)); k += every) {
      for (int m : mantissas) {
        double v = Double.parseDouble(m + "e" + k); // exact decimal, unlike m * 10^k
        if (v >= min && v <= max) {
          ticks.add(v);
        }
      }
    }
    return ticks;
  }

  /** "2e-6", or plain digits when every tick is from 0.001 to 10^4 ("0.02", "500"). */
  private static List<String> logLabels(List<Double> ticks) {
    boolean plain = true;
    for (double v : ticks) {
      plain &= v >= 1e-3 && v <= 1e4;
    }
    List<String> labels = new ArrayList<>();
    for (double v : ticks) {
      int k = (int) Math.floor(Math.log10(v) + 1e-9);
      long m = Math.round(v / Math.pow(10, k));
      labels.add(plain ? new java.math.BigDecimal(m + "e" + k).toPlainString() : m + "e" + k);
    }
    return labels;
  }

  /** Labels of linear ticks, with the fewest digits that tell neighbours apart. */
  private static List<String> labels(List<Double> ticks, double step) {
    boolean scientific = false;
    for (double v : ticks) {
      scientific |= v != 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6);
    }
    for (int digits = scientific ? 0 : Math.max(0, (int) -Math.floor(Math.log10(step) + 1e-9)); ; digits++) {
      List<String> labels = new ArrayList<>();
      for (double v : ticks) {
        labels.add(String.format(Locale.ROOT, scientific ? "%." + digits + "e" : "%." + digits + "f", v == 0 ? 0.0 : v));
      }
      if (new LinkedHashSet<>(labels).size() == labels.size() || digits > 12) {
        return labels;
      }
    }
  }
}
