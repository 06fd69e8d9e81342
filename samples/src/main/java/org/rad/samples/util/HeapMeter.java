package org.rad.samples.util;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The JVM's peak heap use over a stretch of work: the sum of the peak usage of the heap memory
 * pools, reset when the meter starts. Garbage that was not yet collected counts too, so compare
 * runs with the same collector and heap settings.
 */
public final class HeapMeter {
  private final long baseline;

  private HeapMeter(long baseline) {
    this.baseline = baseline;
  }

  /** Collects garbage, resets the pools' peaks and starts measuring. */
  public static HeapMeter start() {
    System.gc();
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
        used += pool.getUsage().getUsed();
      }
    }
    return new HeapMeter(used);
  }

  /** Heap in use (after a collection) when the meter started: the live data before the work. */
  public long baselineBytes() {
    return baseline;
  }

  /** Sum over heap pools of their peak usage since {@link #start()}. */
  public long peakBytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
