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
  private HeapMeter() {}

  /** Collects garbage, resets the pools' peaks and starts measuring. */
  public static HeapMeter start() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    return new HeapMeter();
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
