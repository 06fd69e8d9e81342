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
 * <p>The device tape holds one slot per record a kernel could take (a sampled record that is not
 * kept stores 0 in its slot), so a randomized gradient keeps the same entries as on the CPU but
 * does not yet use less GPU memory than an exact one.
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

  /** The adjoint of {@code a} (zeros of its shape, created on first use), like {@code RadContext.shadow}. */
  public DeviceArray shadow(DeviceArray a) {
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
   * Reserves {@code slots} records on the device tape for the kernel about to run (a forward
   * sweep's) and returns the first; grows the tape when needed.
   */
  public long pushSlots(long slots, String records) {
    held.push(new Held(slots, records));
    return pushSlots(slots);
  }

  /**
   * Releases the slots of the kernel that pushed {@code records} last; throws if the last slots
   * pushed were another kernel's, or another number (the sweeps would be out of step).
   */
  public long popSlots(long slots, String records) {
    Held last = held.poll();
    if (last == null || last.slots() != slots || !last.records().equals(records)) {
      throw new IllegalStateException("device tape out of step: a reverse kernel regenerates " + slots + " records "
          + records + ", but the last ones taken were " + (last == null ? "none" : last.slots() + " " + last.records()));
    }
    return popSlots(slots);
  }

  private record Held(long slots, String records) {}

  private final java.util.ArrayDeque<Held> held = new java.util.ArrayDeque<>();

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

  /** Releases the last {@code slots} records (a reverse sweep's kernel pops them) and returns the first. */
  long popSlots(long slots) {
    if (slots > tapeTop) {
      throw new IllegalStateException("device tape underflow: " + slots + " records popped, " + tapeTop + " held");
    }
    tapeTop -= slots;
    return tapeTop;
  }

  /** The device tape, for a kernel's tape argument (valid until the next {@link #pushSlots}). */
  public DeviceArray tape() {
    if (tape == null) {
      pushSlots(0);
    }
    return tape;
  }

  /** The largest number of bytes the device tape held in this call. */
  public long peakTapeBytes() {
    return tapePeak * Double.BYTES;
  }

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
      if (tape != null) {
        backend.free(tape.pointer);
        tape = null;
      }
    }
  }
}
