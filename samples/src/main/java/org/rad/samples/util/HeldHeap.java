package org.rad.samples.util;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The heap a gradient call holds between its forward and its reverse sweep: live data after a full
 * collection at that point, minus live data before the call. Garbage does not count, so this
 * measures what the reverse sweep keeps (tapes, recorded samples, and any primal arrays still
 * reachable), which the JVM's peak heap can hide under short-lived garbage.
 */
public final class HeldHeap {
  private HeldHeap() {}

  private static long live() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    System.gc();
    return memory.getHeapMemoryUsage().getUsed();
  }

  /** Runs {@code forward}, measures, then runs {@code reverse}; returns the bytes held in between. */
  public static long between(Runnable forward, Runnable reverse) {
    long before = live();
    forward.run();
    long held = live() - before;
    reverse.run();
    return Math.max(0, held);
  }
}
