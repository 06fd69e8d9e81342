package org.rad.gradbench;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/**
 * How often an evaluate runs its function: at least {@code min_runs} times and until the runs add
 * up to {@code min_seconds} (the loop of GradBench's {@code cpp/gradbench/main.hpp}). Inputs
 * without these fields ({@code hello}'s plain number) run once.
 */
public record Runs(int minRuns, double minSeconds) {

  /** The runs an input asks for. */
  public static Runs of(JsonElement input) {
    if (!input.isJsonObject()) {
      return new Runs(1, 0);
    }
    JsonObject o = input.getAsJsonObject();
    int runs = o.has("min_runs") ? o.get("min_runs").getAsInt() : 1;
    double seconds = o.has("min_seconds") ? o.get("min_seconds").getAsDouble() : 0;
    return new Runs(Math.max(1, runs), seconds);
  }

  /** Runs {@code body} as often as asked; the time of each run, in nanoseconds. */
  public long[] repeat(Runnable body) {
    long[] times = new long[Math.max(minRuns, 16)];
    int count = 0;
    long total = 0;
    long minNanos = (long) (minSeconds * 1e9);
    while (count < minRuns || total < minNanos) {
      long start = System.nanoTime();
      body.run();
      long ns = System.nanoTime() - start;
      if (count == times.length) {
        times = java.util.Arrays.copyOf(times, 2 * count);
      }
      times[count++] = ns;
      total += ns;
    }
    return java.util.Arrays.copyOf(times, count);
  }
}
