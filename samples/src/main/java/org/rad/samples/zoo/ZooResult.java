package org.rad.samples.zoo;

import java.util.Locale;

/**
 * What {@link ZooEntryMain} measured for one entry: medians in milliseconds, bytes.
 *
 * @param randomizedMillis NaN when the entry marks nothing {@code @Randomize}
 * @param randomizedTapeBytes -1 when the entry marks nothing {@code @Randomize}
 * @param checksum the sum of every value computed, printed so no work is optimised away
 */
public record ZooResult(String name, String size, double primalMillis, double gradientMillis, long tapeBytes,
    long needBytes, double randomizedMillis, long randomizedTapeBytes, String needRule, String checksum) {

  /** The fields, tab-separated (no field holds a tab). */
  public String format() {
    return String.join("\t", name, size, Double.toString(primalMillis), Double.toString(gradientMillis),
        Long.toString(tapeBytes), Long.toString(needBytes), Double.toString(randomizedMillis),
        Long.toString(randomizedTapeBytes), needRule, checksum);
  }

  /** The inverse of {@link #format()}. */
  public static ZooResult parse(String line) {
    String[] f = line.split("\t", -1);
    if (f.length != 10) {
      throw new IllegalArgumentException("not a zoo result line: " + line);
    }
    return new ZooResult(f[0], f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]), Long.parseLong(f[4]),
        Long.parseLong(f[5]), Double.parseDouble(f[6]), Long.parseLong(f[7]), f[8], f[9]);
  }

  /** Gradient time over primal time. */
  public double ratio() {
    return gradientMillis / primalMillis;
  }

  /** One row of the markdown table of {@link ZooBenchmark}. */
  String markdownRow() {
    String random = Double.isNaN(randomizedMillis) ? "- | - | -"
        : String.format(Locale.ROOT, "%.2f | %.2f | %s", randomizedMillis, randomizedMillis / gradientMillis,
            bytes(randomizedTapeBytes));
    return String.format(Locale.ROOT, "| %s | %s | %.3f | %.3f | **%.2f** | %s | %s | **%.2f** | %s |", name, size,
        primalMillis, gradientMillis, ratio(), bytes(tapeBytes), bytes(needBytes), (double) tapeBytes / needBytes, random);
  }

  static String bytes(long b) {
    if (b < 10_000) {
      return b + " B";
    }
    return b < 10_000_000 ? String.format(Locale.ROOT, "%.1f kB", b / 1e3) : String.format(Locale.ROOT, "%.1f MB", b / 1e6);
  }
}
