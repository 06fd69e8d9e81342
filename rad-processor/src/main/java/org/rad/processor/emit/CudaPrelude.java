package org.rad.processor.emit;

/**
 * The device code every generated CUDA module starts with: the counter-based RNG of
 * {@code org.rad.runtime.CounterRng} (the same formulas, so a kernel keeps exactly the records the
 * CPU keeps for one seed), Java's semantics for {@code Math.max}, {@code min}, {@code signum},
 * {@code toRadians} and {@code toDegrees} (the C names of {@code MathRules}),
 * the partial derivatives of {@code org.rad.runtime.Derivatives}, and a warp-level sum for
 * reductions. The RNG and the helpers are {@code __host__ __device__}, so a host program can check
 * them against the Java ones (CudaRngTest).
 *
 * <p>Needs compute capability 6.0 or higher ({@code atomicAdd} on doubles).
 */
public final class CudaPrelude {
  private CudaPrelude() {}

  /** The RNG alone: plain C++ that also compiles for the host. */
  public static final String RNG = """
      // ---- org.rad.runtime.CounterRng, the same formulas bit for bit (see CounterRng.java) ----
      #define RAD_GOLDEN 0x9E3779B97F4A7C15ULL
      #define RAD_INDEX_MULTIPLIER 0xD1B54A32D192ED03ULL
      __host__ __device__ inline unsigned long long rad_mix(unsigned long long z) {
        z ^= z >> 30; z *= 0xBF58476D1CE4E5B9ULL;
        z ^= z >> 27; z *= 0x94D049BB133111EBULL;
        z ^= z >> 31; return z;
      }
      __host__ __device__ inline unsigned long long rad_extend(unsigned long long h, long long i) {
        return rad_mix(h ^ ((unsigned long long) i * RAD_INDEX_MULTIPLIER + RAD_GOLDEN));
      }
      __host__ __device__ inline unsigned long long rad_key0(void) { return RAD_GOLDEN; }
      __host__ __device__ inline unsigned long long rad_key1(long long i) { return rad_extend(RAD_GOLDEN, i); }
      __host__ __device__ inline unsigned long long rad_key2(long long i, long long j) { return rad_extend(rad_key1(i), j); }
      __host__ __device__ inline unsigned long long rad_key3(long long i, long long j, long long k) { return rad_extend(rad_key2(i, j), k); }
      __host__ __device__ inline unsigned long long rad_key4(long long i, long long j, long long k, long long l) { return rad_extend(rad_key3(i, j, k), l); }
      __host__ __device__ inline unsigned long long rad_hash(unsigned long long seed, int site, unsigned long long key) {
        return rad_mix(rad_mix(seed ^ ((unsigned long long) (long long) site * RAD_GOLDEN)) ^ key);
      }
      __host__ __device__ inline double rad_uniform(unsigned long long h) {
        return (double) (h >> 11) * 0x1.0p-53;
      }
      // CounterRng.keep: element `index` of row `row` of the record keyed `record_key` is kept iff the
      // geometric skips of its block (lane index & 63 of block index >> 6) land on its lane. The skip
      // table Q[k] = (long) (p[k] * 2^53), p[k] = p[k-1] * (1 - f), is walked from k = 0 for each
      // draw, exactly as CounterRng.skipTable builds it.
      __host__ __device__ inline int rad_skip_at_most(unsigned long long u, double q, int limit) {
        double p = 1.0;
        int k = 0;
        while (k < limit) {
          p = p * q;
          if (!(u < (unsigned long long) (p * 0x1.0p53))) break;
          k++;
        }
        return k;
      }
      __host__ __device__ inline int rad_keep(unsigned long long seed, int site, unsigned long long record_key,
          long long row, long long index, double f) {
        if (f >= 1.0) return 1;
        double q = 1.0 - f;
        int lane = (int) (index & 63);
        unsigned long long counter = rad_hash(seed, site, record_key) + (unsigned long long) row * RAD_INDEX_MULTIPLIER
            + (65ULL * (unsigned long long) (index >> 6) + 1ULL) * RAD_GOLDEN;
        int at = -1;
        while (1) {
          unsigned long long u = rad_mix(counter) >> 11;
          counter += RAD_GOLDEN;
          int room = lane - at; // lanes at + 1 .. lane
          int skip = rad_skip_at_most(u, q, room);
          if (skip == room) return 0; // the next kept lane is past this one
          at += 1 + skip;
          if (at == lane) return 1;
        }
      }
      __host__ __device__ inline unsigned long long rad_stream_seed(unsigned long long seed, long long c) {
        return rad_mix(seed + (unsigned long long) (c + 1) * RAD_GOLDEN);
      }
      // What a kept sampled value is stored as (RadContext.pushSampled): v / f, or v when unscaled or f >= 1.
      __host__ __device__ inline double rad_scaled_value(double v, double f, int scaled) {
        return scaled && f < 1.0 ? v / f : v;
      }
      // What a sampled record reads back (RadContext.popSampled): exact: v; kept: the stored value; else 0.
      __host__ __device__ inline double rad_record(double v, int exact, unsigned long long seed, int site,
          unsigned long long record_key, long long row, long long index, double f, int scaled) {
        if (exact) return v;
        if (f >= 1.0) return v;
        return rad_keep(seed, site, record_key, row, index, f) ? rad_scaled_value(v, f, scaled) : 0.0;
      }
      """;

  /** The helpers for Java semantics and the partial derivatives. */
  public static final String HELPERS = """
      // ---- Java's Math.max / min / abs / signum (NaN and signed zeros as in Java) ----
      __host__ __device__ inline double rad_max(double a, double b) {
        if (a != a) return a;
        if (a == 0.0 && b == 0.0) return signbit(a) ? b : a;
        return a >= b ? a : b;
      }
      __host__ __device__ inline double rad_min(double a, double b) {
        if (a != a) return a;
        if (a == 0.0 && b == 0.0) return signbit(a) ? a : b;
        return a <= b ? a : b;
      }
      __host__ __device__ inline int rad_max(int a, int b) { return a >= b ? a : b; }
      __host__ __device__ inline int rad_min(int a, int b) { return a <= b ? a : b; }
      __host__ __device__ inline long long rad_max(long long a, long long b) { return a >= b ? a : b; }
      __host__ __device__ inline long long rad_min(long long a, long long b) { return a <= b ? a : b; }
      __host__ __device__ inline double rad_abs(double a) { return fabs(a); }
      __host__ __device__ inline int rad_abs(int a) { return a < 0 ? -a : a; }
      __host__ __device__ inline long long rad_abs(long long a) { return a < 0 ? -a : a; }
      __host__ __device__ inline double rad_signum(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : x; }
      // Java's Math.toRadians / toDegrees: one product by the constant Java uses (JDK 9 and later)
      __host__ __device__ inline double rad_toRadians(double x) { return x * 0.017453292519943295; }
      __host__ __device__ inline double rad_toDegrees(double x) { return x * 57.29577951308232; }
      // ---- org.rad.runtime.Derivatives ----
      __host__ __device__ inline double rad_d_times(double adjoint, double partial) { return adjoint == 0 ? 0 : adjoint * partial; }
      __host__ __device__ inline double rad_d_scaled(double adjoint, double partial) { return fabs(partial) <= 1.7976931348623157e308 ? adjoint * partial : (adjoint == 0 ? 0 : adjoint * partial); }
      __host__ __device__ inline double rad_d_abs(double x) { return x > 0 ? 1 : x < 0 ? -1 : 0; }
      __host__ __device__ inline double rad_d_sqrt(double x) { return 0.5 / sqrt(x); }
      __host__ __device__ inline double rad_d_cbrt(double x) { double c = cbrt(x); return 1 / (3 * c * c); }
      __host__ __device__ inline double rad_d_tan(double x) { double t = tan(x); return 1 + t * t; }
      __host__ __device__ inline double rad_d_tanh(double x) { double t = tanh(x); return 1 - t * t; }
      __host__ __device__ inline double rad_d_asin(double x) { return 1 / sqrt(1 - x * x); }
      __host__ __device__ inline double rad_d_acos(double x) { return -1 / sqrt(1 - x * x); }
      __host__ __device__ inline double rad_d_atan(double x) { return 1 / (1 + x * x); }
      __host__ __device__ inline double rad_d_log10(double x) { return 1 / x / log(10.0); }
      __host__ __device__ inline double rad_d_powBase(double x, double y) { return y == 0 ? 0 : y * pow(x, y - 1); }
      __host__ __device__ inline double rad_d_powExponent(double x, double y) { return x == 0 ? 0 : pow(x, y) * log(x); }
      __host__ __device__ inline double rad_d_atan2Y(double y, double x) { double h = hypot(x, y); return h == 0 ? 0 : x / h / h; }
      __host__ __device__ inline double rad_d_atan2X(double y, double x) { double h = hypot(x, y); return h == 0 ? 0 : -y / h / h; }
      __host__ __device__ inline double rad_d_hypot(double x, double y) { double h = hypot(x, y); return h == 0 ? 0 : x / h; }
      __host__ __device__ inline double rad_d_remainderDivisor(double a, double b) { return -((a - fmod(a, b)) / b); }
      """;

  /** Device-only: reductions. */
  public static final String DEVICE = """
      // ---- the sum of v over the warp, added into *out by its first lane (all lanes must call it) ----
      __device__ inline void rad_reduce_add(double* out, double v) {
        for (int offset = 16; offset > 0; offset >>= 1) {
          v += __shfl_down_sync(0xffffffffu, v, offset);
        }
        if (((threadIdx.y * blockDim.x + threadIdx.x) & 31) == 0) {
          atomicAdd(out, v);
        }
      }
      // ---- the sum of v over the warp, in every lane; whether this thread is its first lane ----
      __device__ inline double rad_warp_sum(double v) {
        for (int offset = 16; offset > 0; offset >>= 1) {
          v += __shfl_xor_sync(0xffffffffu, v, offset);
        }
        return v;
      }
      __device__ inline int rad_lane0(void) {
        return ((threadIdx.y * blockDim.x + threadIdx.x) & 31) == 0;
      }
      // ---- the compact device tape of sampled records (CudaTapeLayout, CudaSession) ----
      // the warp's number in the launch: blocks in row-major order, then the warps of a block
      __device__ inline long long rad_warp_index(void) {
        return ((long long) blockIdx.y * gridDim.x + blockIdx.x) * ((blockDim.x * blockDim.y) >> 5)
            + ((threadIdx.y * blockDim.x + threadIdx.x) >> 5);
      }
      // the bits of the lanes below this thread's
      __device__ inline unsigned rad_lanes_below(void) {
        return (1u << ((threadIdx.y * blockDim.x + threadIdx.x) & 31)) - 1u;
      }
      // One level of the exclusive prefix sum of c[0..n) in place (CudaSession.scan): each warp
      // scans its 32 entries with shuffles and writes their total into sums[g / 32]; the host scans
      // the sums the same way and adds them back (rad_scan_add). Counts are whole doubles (exact
      // below 2^53), added in a fixed order: the result does not depend on how warps are scheduled.
      extern "C" __global__ void rad_scan_warps(double* c, long long n, double* sums) {
        long long g = (long long) blockIdx.x * blockDim.x + threadIdx.x;
        int lane = threadIdx.x & 31;
        double v = g < n ? c[g] : 0.0;
        double x = v;
        for (int d = 1; d < 32; d <<= 1) {
          double y = __shfl_up_sync(0xffffffffu, x, d);
          if (lane >= d) x += y;
        }
        if (g < n) c[g] = x - v;
        if (lane == 31 && (g >> 5) < ((n + 31) >> 5)) sums[g >> 5] = x;
      }
      extern "C" __global__ void rad_scan_add(double* c, long long n, double* sums) {
        long long g = (long long) blockIdx.x * blockDim.x + threadIdx.x;
        if (g < n) c[g] += sums[g >> 5];
      }
      """;

  /** Everything, as a generated module starts. */
  public static String all() {
    return "// Generated by the rad processor (Target.CUDA). Needs compute capability 6.0+ (atomicAdd on double).\n"
        + "#ifndef __CUDACC_RTC__\n#include <math.h>\n#endif\n" + RNG + HELPERS + DEVICE;
  }
}
