package org.rad.runtime.cuda;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The device side of one gradient call of a {@code Target.CUDA} method, as generated code uses it:
 * device arrays (uploaded, allocated, adjoint "shadows" by identity, as {@code RadContext} keeps
 * them on the CPU), the device tape of the records that kernels take, scratch for reductions, and
 * kernel launches. {@link #close()} frees everything the call allocated.
 *
 * <p>The device tape holds, per launch of a kernel with records, one slot per thread and exact
 * record and, for its sampled records, one slot per thread in an exact context but only the kept
 * entries in a seeded one (the layout of {@code org.rad.processor.emit.CudaTapeLayout}), so a
 * randomized gradient keeps the entries the CPU keeps and its device tape shrinks with the fraction
 * as the CPU's does.
 */
public final class CudaSession implements AutoCloseable {
  /** Threads per block of a one-dimensional launch. */
  static final int BLOCK_1D = 256;
  /**
   * Threads per block of a two-dimensional launch: 32 along the inner loop, 8 along the outer. The
   * generated kernels rely on BLOCK_X being the warp size: a warp is one row of a block, whose
   * threads share the outer index (rad_warp_sum, rad_lane0).
   */
  static final int BLOCK_X = 32;
  static final int BLOCK_Y = 8;

  private static final java.util.concurrent.atomic.AtomicLong LAUNCHES = new java.util.concurrent.atomic.AtomicLong();

  private final CudaBackend backend;
  private final String module;
  private final List<DeviceArray> allocated = new ArrayList<>();
  private final Map<DeviceArray, DeviceArray> shadows = new IdentityHashMap<>();
  private DeviceArray tape;
  private DeviceArray reduction;
  private long tapeTop;
  private long tapePeak;

  CudaSession(CudaBackend backend, String module) {
    this.backend = backend;
    this.module = module;
  }

  /** A device copy of {@code a}. */
  public DeviceArray upload(double[] a) {
    DeviceArray d = zeros(a.length);
    backend.upload(d.pointer, 0, a);
    return d;
  }

  /** A device copy of the rectangular {@code a}, row-major. */
  public DeviceArray upload(double[][] a) {
    int cols = a.length == 0 ? 0 : a[0].length;
    DeviceArray d = zeros(a.length, cols);
    for (int r = 0; r < a.length; r++) {
      if (a[r].length != cols) {
        throw new IllegalArgumentException("the CUDA path needs rectangular double[][] arrays; row " + r
            + " has " + a[r].length + " entries, row 0 has " + cols);
      }
      backend.upload(d.pointer, (long) r * cols, a[r]);
    }
    return d;
  }

  /** {@code new double[n]} on the device. */
  public DeviceArray zeros(int n) {
    return track(new DeviceArray(backend.alloc(n), 1, n, false));
  }

  /** {@code new double[rows][cols]} on the device. */
  public DeviceArray zeros(int rows, int cols) {
    return track(new DeviceArray(backend.alloc((long) rows * cols), rows, cols, true));
  }

  private DeviceArray track(DeviceArray d) {
    allocated.add(d);
    return d;
  }

  /**
   * The adjoint of {@code a} (zeros of its shape, created on first use), like {@code
   * RadContext.shadow}; null for null (a buffer allocated in a time loop holds null before its
   * first allocation, and the reverse sweep restores that too).
   */
  public DeviceArray shadow(DeviceArray a) {
    if (a == null) {
      return null;
    }
    return shadows.computeIfAbsent(a, x -> x.matrix ? zeros(x.rows, x.cols) : zeros(x.cols));
  }

  /** Makes {@code bar} the adjoint of {@code a}. */
  public void bindShadow(DeviceArray a, DeviceArray bar) {
    shadows.put(a, bar);
  }

  /** Forgets the adjoint of {@code a}. */
  public void dropShadow(DeviceArray a) {
    shadows.remove(a);
  }

  /** Adds the device array {@code d} into {@code host}. */
  public void addInto(double[] host, DeviceArray d) {
    double[] values = new double[d.cols];
    backend.download(d.pointer, 0, values);
    for (int k = 0; k < host.length; k++) {
      host[k] += values[k];
    }
  }

  /** Adds the device matrix {@code d} into {@code host}. */
  public void addInto(double[][] host, DeviceArray d) {
    double[] row = new double[d.cols];
    for (int r = 0; r < host.length; r++) {
      backend.download(d.pointer, (long) r * d.cols, row);
      for (int k = 0; k < host[r].length; k++) {
        host[r][k] += row[k];
      }
    }
  }

  /** The values of {@code d}, row-major. */
  public double[] download(DeviceArray d) {
    double[] values = new double[(int) d.size()];
    backend.download(d.pointer, 0, values);
    return values;
  }

  /** {@code k} zeroed doubles for the reductions of one launch (one scratch buffer, reused). */
  public DeviceArray reduction(int k) {
    if (reduction == null || reduction.cols < k) {
      reduction = zeros(Math.max(k, 8));
    }
    backend.zero(reduction.pointer, k);
    return reduction;
  }

  /** The first {@code k} values of the reduction scratch. */
  public double[] download(DeviceArray d, int k) {
    double[] values = new double[k];
    backend.download(d.pointer, 0, values);
    return values;
  }

  /**
   * What the arguments of a launch with records leave to the session, which fills them in for each
   * launch: the device tape, the first slot of the launch's part of it, and the table of the warps'
   * offsets in its compact part.
   */
  public enum TapeArg {
    TAPE,
    BASE,
    WARP_OFFSETS
  }

  /**
   * Launches {@code kernel}, whose threads take records, over {@code outer x inner} threads
   * ({@code inner < 0}: one-dimensional), after reserving its part of the device tape: {@code
   * denseRecords} exact records per thread, and {@code sampledRecords} sampled ones, also one per
   * thread when {@code exact}, else only the kept ones. For those it first runs {@code
   * <kernel>_count}, which writes how many entries each warp keeps, and turns the counts into the
   * warps' offsets on the device (exclusive prefix sums, added in a fixed order). {@code records}
   * names the records in push order, for the check in {@link #launchRegenerating}; {@code args} as
   * in {@link #launch}, with {@link TapeArg}s where the kernel takes the tape, the base and the
   * offsets.
   */
  public void launchRecording(String kernel, long outer, long inner, String records, int denseRecords,
      int sampledRecords, boolean exact, Object... args) {
    if (outer <= 0 || inner == 0) {
      return;
    }
    long dense = denseSlots(outer, inner, denseRecords, sampledRecords, exact);
    long kept = !exact && sampledRecords > 0 ? countKept(kernel, outer, inner, args) : 0;
    long base = pushSlots(dense + kept);
    held.push(new Held(records, outer, inner, dense, kept));
    launch(kernel, outer, inner, resolve(args, base));
  }

  /**
   * Launches {@code kernel}, a reverse sweep's kernel that regenerates the records of the last
   * {@link #launchRecording} still held (the same range, records and context), and releases them.
   * It recounts the kept entries of the sampled records from their regenerated decisions, which
   * gives it the warps' offsets again (nothing but the kept values was stored).
   *
   * @throws IllegalStateException if the records held last are another launch's (the sweeps would
   *     be out of step)
   */
  public void launchRegenerating(String kernel, long outer, long inner, String records, int denseRecords,
      int sampledRecords, boolean exact, Object... args) {
    if (outer <= 0 || inner == 0) {
      return;
    }
    long dense = denseSlots(outer, inner, denseRecords, sampledRecords, exact);
    Held last = held.poll();
    if (last == null || !last.records().equals(records) || last.outer() != outer || last.inner() != inner
        || last.dense() != dense) {
      throw new IllegalStateException("device tape out of step: the reverse kernel " + kernel + " regenerates "
          + records + " over " + shape(outer, inner) + ", but the last records taken were "
          + (last == null ? "none" : last.records() + " over " + shape(last.outer(), last.inner())));
    }
    if (!exact && sampledRecords > 0) {
      long kept = countKept(kernel, outer, inner, args);
      if (kept != last.kept()) {
        throw new IllegalStateException("device tape out of step: " + kernel + " regenerates " + kept
            + " kept entries, but its forward kernel kept " + last.kept());
      }
    }
    long base = popSlots(last.dense() + last.kept());
    launch(kernel, outer, inner, resolve(args, base));
  }

  /** What a launch took: its records, range and numbers of dense slots and kept entries. */
  private record Held(String records, long outer, long inner, long dense, long kept) {}

  private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();

  private static long denseSlots(long outer, long inner, int denseRecords, int sampledRecords, boolean exact) {
    return (denseRecords + (exact ? (long) sampledRecords : 0L)) * outer * (inner < 0 ? 1 : inner);
  }

  private static String shape(long outer, long inner) {
    return inner < 0 ? outer + " threads" : outer + " x " + inner + " threads";
  }

  /** The number of warps of a launch over {@code outer x inner} threads (as {@link #launch} shapes it). */
  static long warps(long outer, long inner) {
    if (inner < 0) {
      return (outer + BLOCK_1D - 1) / BLOCK_1D * (BLOCK_1D / 32);
    }
    return (inner + BLOCK_X - 1) / BLOCK_X * ((outer + BLOCK_Y - 1) / BLOCK_Y) * (BLOCK_X * BLOCK_Y / 32);
  }

  /**
   * Runs {@code <kernel>_count}, which writes the number of entries each warp keeps into the first
   * W entries of the table (W warps; entry W is zero), scans the table into exclusive prefix sums
   * (the warps' offsets, entry W the total) and returns the total. Only the total comes back to
   * the host; the offsets stay on the device for the kernel.
   */
  private long countKept(String kernel, long outer, long inner, Object[] args) {
    long n = warps(outer, inner) + 1;
    DeviceArray table = scratch(0, n);
    backend.zero(table.pointer, n);
    launch(kernel + "_count", outer, inner, resolve(args, 0));
    scan(0, table, n);
    double[] total = new double[1];
    backend.download(table.pointer, n - 1, total);
    return (long) total[0];
  }

  /**
   * The exclusive prefix sums of {@code c[0..n)}, in place: rad_scan_warps scans each run of 32
   * entries and writes the runs' totals into the next level; that level is scanned the same way,
   * and rad_scan_add adds its sums back. Each sum is formed in one fixed order, so the offsets are
   * the same on every run.
   */
  private void scan(int level, DeviceArray c, long n) {
    long runs = (n + 31) / 32;
    DeviceArray sums = scratch(level + 1, runs);
    launch1d("rad_scan_warps", n, c, sums);
    if (runs > 1) {
      scan(level + 1, sums, runs);
      launch1d("rad_scan_add", n, c, sums);
    }
  }

  private void launch1d(String kernel, long n, DeviceArray c, DeviceArray sums) {
    LAUNCHES.incrementAndGet();
    backend.launch(module, kernel, (int) ((n + BLOCK_1D - 1) / BLOCK_1D), 1, BLOCK_1D, 1,
        new Object[] {c.pointer, n, sums.pointer});
  }

  /** The scratch table of scan level {@code level}, with room for {@code n} doubles (reused between launches). */
  private DeviceArray scratch(int level, long n) {
    while (scratch.size() <= level) {
      scratch.add(null);
    }
    DeviceArray d = scratch.get(level);
    if (d == null || d.size() < n) {
      if (d != null) {
        backend.free(d.pointer);
      }
      long size = Math.max(n, d == null ? 64 : 2 * d.size());
      if (size > Integer.MAX_VALUE) {
        throw new IllegalStateException("a launch of more than 2^36 threads cannot count its kept records");
      }
      d = new DeviceArray(backend.alloc(size), 1, (int) size, false);
      scratch.set(level, d);
    }
    return d;
  }

  private final List<DeviceArray> scratch = new ArrayList<>();

  private Object[] resolve(Object[] args, long base) {
    Object[] out = args.clone();
    for (int k = 0; k < out.length; k++) {
      if (out[k] == TapeArg.TAPE) {
        out[k] = tape();
      } else if (out[k] == TapeArg.BASE) {
        out[k] = base;
      } else if (out[k] == TapeArg.WARP_OFFSETS) {
        out[k] = scratch(0, 1);
      }
    }
    return out;
  }

  /** Reserves {@code slots} on the device tape and returns the first; grows the tape when needed. */
  long pushSlots(long slots) {
    long base = tapeTop;
    long need = base + slots;
    if (tape == null || need > tape.size()) {
      long capacity = Math.min(Integer.MAX_VALUE, Math.max(need, tape == null ? 1 << 16 : 2 * tape.size()));
      if (need > capacity) {
        throw new IllegalStateException("the device tape would exceed 2^31 - 1 doubles (" + need + " records)");
      }
      DeviceArray bigger = new DeviceArray(backend.alloc(capacity), 1, (int) capacity, false);
      if (tape != null) {
        backend.copy(bigger.pointer, tape.pointer, tapeTop);
        backend.free(tape.pointer);
      }
      tape = bigger;
    }
    tapeTop = need;
    tapePeak = Math.max(tapePeak, tapeTop);
    return base;
  }

  /** Releases the last {@code slots} (a reverse sweep's kernel regenerates them) and returns the first. */
  long popSlots(long slots) {
    if (slots > tapeTop) {
      throw new IllegalStateException("device tape underflow: " + slots + " records popped, " + tapeTop + " held");
    }
    tapeTop -= slots;
    return tapeTop;
  }

  /** The device tape (valid until the next {@link #pushSlots}). */
  DeviceArray tape() {
    if (tape == null) {
      pushSlots(0);
    }
    return tape;
  }

  /**
   * The largest number of bytes the device tape held in this call: 8 per dense slot and per kept
   * entry (the tape's allocation grows by doubling, so it may be up to twice that; the warps'
   * offsets are scratch that one launch uses and the next reuses, not tape).
   */
  public long peakTapeBytes() {
    return tapePeak * Double.BYTES;
  }

  /** {@link #peakTapeBytes()} of the last session this thread closed (0 before the first). */
  public static long lastPeakTapeBytes() {
    return LAST_PEAK.get()[0];
  }

  private static final ThreadLocal<long[]> LAST_PEAK = ThreadLocal.withInitial(() -> new long[1]);

  /**
   * Runs {@code kernel} over {@code outer x inner} threads ({@code inner < 0}: a one-dimensional
   * launch over {@code outer}); {@code args} are Integer, Long, Double or DeviceArray, in the
   * kernel's parameter order. Launches of one session run in order on one stream.
   */
  public void launch(String kernel, long outer, long inner, Object... args) {
    if (outer <= 0 || inner == 0) {
      return;
    }
    LAUNCHES.incrementAndGet();
    Object[] raw = new Object[args.length];
    for (int k = 0; k < args.length; k++) {
      raw[k] = args[k] instanceof DeviceArray d ? d.pointer : args[k];
    }
    if (inner < 0) {
      backend.launch(module, kernel, (int) ((outer + BLOCK_1D - 1) / BLOCK_1D), 1, BLOCK_1D, 1, raw);
    } else {
      backend.launch(module, kernel, (int) ((inner + BLOCK_X - 1) / BLOCK_X), (int) ((outer + BLOCK_Y - 1) / BLOCK_Y),
          BLOCK_X, BLOCK_Y, raw);
    }
  }

  /** How many kernels this JVM has launched (for checks that the GPU path ran). */
  public static long launches() {
    return LAUNCHES.get();
  }

  /**
   * Throws unless {@code value} is zero: a kernel starts every thread's copy of a sum that the
   * loop resets at the end of each iteration at zero, which is right only if it was zero before.
   */
  public static void requireZero(String kernel, String name, double value) {
    if (value != 0) {
      throw new IllegalStateException(kernel + ": " + name + " is " + value + " before the loop, but the kernel"
          + " starts each iteration's " + name + " at zero");
    }
  }

  /** Throws if two arrays a kernel writes, or one it writes and one it reads, are the same array. */
  public static void requireDistinct(String kernel, DeviceArray written, DeviceArray other) {
    if (written == other) {
      throw new IllegalStateException(kernel + ": an array the kernel writes is also passed as another of its arrays;"
          + " the CUDA path needs them distinct");
    }
  }

  /** Waits for the launched kernels and frees every device array of this call. */
  @Override
  public void close() {
    try {
      backend.synchronize();
    } finally {
      for (DeviceArray d : allocated) {
        backend.free(d.pointer);
      }
      allocated.clear();
      shadows.clear();
      held.clear();
      reduction = null;
      for (DeviceArray d : scratch) {
        if (d != null) {
          backend.free(d.pointer);
        }
      }
      scratch.clear();
      LAST_PEAK.get()[0] = peakTapeBytes();
      if (tape != null) {
        backend.free(tape.pointer);
        tape = null;
      }
    }
  }
}
