package org.rad.runtime.cuda;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link CudaBackend} without a GPU, for tests: each module is compiled by {@code g++} as host
 * C++ (the CUDA qualifiers defined away, {@code atomicAdd} under one lock, the warp shuffles and
 * ballots through a barrier and an exchange slot per lane) together with a small command loop, and runs as
 * a child process; a launch runs the blocks, and the warps of a block, one after another, and the
 * 32 threads of a warp at once, on 32 worker threads (kernels without warp-level code run every
 * thread in turn). It checks the generated host code (launch
 * arguments, device tape, swaps, adjoints, reductions), the kernel bodies and the warp-level code
 * against the CPU gradient; it says little about races between warps and nothing about the
 * accuracy of the device's math functions, which only a GPU run checks.
 */
final class EmulatedBackend implements CudaBackend {
  private static final Pattern KERNEL = Pattern.compile("extern \"C\" __global__ void (\\w+)\\(([^)]*)\\)");

  private final Map<String, Module> modules = new HashMap<>();
  private final Map<Long, Module> owners = new HashMap<>();

  /** One compiled module: its process and the pipes to it. */
  private static final class Module {
    final Process process;
    final BufferedWriter in;
    final BufferedReader out;

    Module(Process process) {
      this.process = process;
      this.in = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII));
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    }

    synchronized String call(String command) {
      try {
        in.write(command);
        in.write('\n');
        in.flush();
        String line = out.readLine();
        if (line == null || line.startsWith("error")) {
          throw new IllegalStateException("emulated module failed on '" + abbreviate(command) + "': " + line);
        }
        return line;
      } catch (IOException e) {
        throw new IllegalStateException("emulated module died: " + e.getMessage(), e);
      }
    }

    private static String abbreviate(String s) {
      return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
  }

  /** Device pointers of the emulation: the owning module and the id there. */
  private record Handle(Module module, long id) {}

  private Module current;

  @Override
  public String describe() {
    return "CPU emulation of the kernels (g++, one warp of 32 threads at a time); not a GPU";
  }

  @Override
  public synchronized void load(String name, String source) {
    Module m = modules.get(name);
    if (m == null) {
      m = compile(name, source);
      modules.put(name, m);
    }
    current = m;
  }

  private static Module compile(String name, String source) {
    StringBuilder c = new StringBuilder("""
        #define RAD_EMULATE 1
        #include <math.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <string.h>
        #include <string>
        #include <vector>
        #include <condition_variable>
        #include <functional>
        #include <mutex>
        #include <thread>
        #define __global__
        #define __device__
        #define __host__
        struct rad_dim3 { unsigned x, y, z; };
        static thread_local rad_dim3 threadIdx, blockIdx;
        static rad_dim3 blockDim, gridDim;
        // atomics: one lock for all (the 32 threads of a warp run at once)
        static std::mutex rad_atomic;
        static double atomicAdd(double* a, double v) { std::lock_guard<std::mutex> g(rad_atomic); double o = *a; *a += v; return o; }
        static double __longlong_as_double(long long x) { double d; memcpy(&d, &x, 8); return d; }
        // a warp: 32 threads with a barrier and an exchange slot per lane, for the shuffles
        struct rad_warp_state {
          std::mutex m; std::condition_variable cv; int arrived = 0; long generation = 0; double slot[32];
          void barrier() {
            std::unique_lock<std::mutex> l(m); long g = generation;
            if (++arrived == 32) { arrived = 0; generation++; cv.notify_all(); } else { cv.wait(l, [&] { return generation != g; }); }
          }
        };
        static thread_local rad_warp_state* rad_warp_of_thread;
        static int rad_lane_of_thread() { return (int) ((threadIdx.y * blockDim.x + threadIdx.x) & 31); }
        static double rad_exchange(double v, int from, bool valid) {
          rad_warp_state* w = rad_warp_of_thread; int lane = rad_lane_of_thread();
          w->slot[lane] = v; w->barrier(); double r = valid ? w->slot[from] : v; w->barrier(); return r;
        }
        static double __shfl_xor_sync(unsigned, double v, int offset) {
          int lane = rad_lane_of_thread(); return rad_exchange(v, lane ^ offset, true);
        }
        static double __shfl_down_sync(unsigned, double v, int offset) {
          int lane = rad_lane_of_thread(); return rad_exchange(v, lane + offset, lane + offset < 32);
        }
        static double __shfl_up_sync(unsigned, double v, int offset) {
          int lane = rad_lane_of_thread(); return rad_exchange(v, lane - offset, lane - offset >= 0);
        }
        static unsigned __ballot_sync(unsigned, int predicate) {
          rad_warp_state* w = rad_warp_of_thread; int lane = rad_lane_of_thread();
          w->slot[lane] = predicate ? 1.0 : 0.0; w->barrier();
          unsigned bits = 0; for (int l = 0; l < 32; l++) if (w->slot[l] != 0.0) bits |= 1u << l;
          w->barrier(); return bits;
        }
        static int __popc(unsigned x) { return __builtin_popcount(x); }
        // 32 worker threads, one per lane, that run a warp at a time
        struct rad_lanes {
          std::mutex m; std::condition_variable start, finished; long generation = 0; int done = 0;
          std::function<void(unsigned)> work;
          rad_lanes() {
            for (unsigned lane = 0; lane < 32; lane++) {
              std::thread([this, lane] {
                long seen = 0;
                for (;;) {
                  std::function<void(unsigned)> w;
                  { std::unique_lock<std::mutex> l(m); start.wait(l, [&] { return generation != seen; }); seen = generation; w = work; }
                  w(lane);
                  { std::lock_guard<std::mutex> l(m); if (++done == 32) finished.notify_one(); }
                }
              }).detach();
            }
          }
          void run(std::function<void(unsigned)> w) {
            { std::lock_guard<std::mutex> l(m); work = w; done = 0; generation++; }
            start.notify_all();
            std::unique_lock<std::mutex> l(m); finished.wait(l, [&] { return done == 32; });
          }
        };
        static rad_lanes* rad_the_lanes() { static rad_lanes* lanes = new rad_lanes(); return lanes; }
        """);
    c.append(source);
    c.append("""

        // ---- the command loop of the emulation ----
        static std::vector<double*> rad_mem;
        union rad_arg { long long i; double d; void* p; };
        static void rad_print(double v) {
          if (v != v) printf(" NaN"); else if (v == INFINITY) printf(" Infinity");
          else if (v == -INFINITY) printf(" -Infinity"); else printf(" %a", v);
        }
        int main(void) {
          char cmd[64];
          while (scanf("%63s", cmd) == 1) {
            std::string c(cmd);
            if (c == "alloc") { long long n; scanf("%lld", &n); rad_mem.push_back((double*) calloc(n > 0 ? n : 1, 8));
              printf("%zu\\n", rad_mem.size() - 1); }
            else if (c == "free") { long long id; scanf("%lld", &id); free(rad_mem[id]); rad_mem[id] = 0; printf("ok\\n"); }
            else if (c == "zero") { long long id, n; scanf("%lld %lld", &id, &n); memset(rad_mem[id], 0, n * 8); printf("ok\\n"); }
            else if (c == "copy") { long long to, from, n; scanf("%lld %lld %lld", &to, &from, &n);
              memcpy(rad_mem[to], rad_mem[from], n * 8); printf("ok\\n"); }
            else if (c == "up") { long long id, off, n; scanf("%lld %lld %lld", &id, &off, &n); char tok[64];
              for (long long k = 0; k < n; k++) { scanf("%63s", tok); rad_mem[id][off + k] = strtod(tok, 0); } printf("ok\\n"); }
            else if (c == "down") { long long id, off, n; scanf("%lld %lld %lld", &id, &off, &n); printf("ok");
              for (long long k = 0; k < n; k++) rad_print(rad_mem[id][off + k]); printf("\\n"); }
            else if (c == "launch") {
              char name[256]; unsigned gx, gy, bx, by; int nargs; scanf("%255s %u %u %u %u %d", name, &gx, &gy, &bx, &by, &nargs);
              std::vector<rad_arg> a(nargs > 0 ? nargs : 1); char kind[8], tok[64];
              for (int k = 0; k < nargs; k++) { scanf("%7s %63s", kind, tok);
                if (kind[0] == 'd') a[k].d = strtod(tok, 0); else if (kind[0] == 'p') a[k].p = rad_mem[atoll(tok)];
                else a[k].i = strtoll(tok, 0, 10); }
              blockDim.x = bx; blockDim.y = by; blockDim.z = 1; gridDim.x = gx; gridDim.y = gy; gridDim.z = 1;
              bool found = false;
        """);
    Matcher m = KERNEL.matcher(source);
    while (m.find()) {
      List<String> args = new ArrayList<>();
      String[] params = m.group(2).split(",");
      for (int k = 0; k < params.length; k++) {
        String p = params[k].trim();
        String cast = p.startsWith("double*") ? "(double*) a[" + k + "].p" : p.startsWith("double ") ? "a[" + k + "].d"
            : p.startsWith("int ") ? "(int) a[" + k + "].i" : p.startsWith("unsigned long long ") ? "(unsigned long long) a[" + k + "].i"
            : "a[" + k + "].i";
        args.add(cast);
      }
      int end = source.indexOf("\n}\n", m.end());
      String kernelBody = source.substring(m.end(), end < 0 ? source.length() : end);
      // warp-level code: the warp sums, the ballots of the compact tape, the shuffles of its scan
      boolean warps = kernelBody.contains("rad_warp_sum") || kernelBody.contains("rad_reduce_add")
          || kernelBody.contains("_sync(");
      if (!warps) {
        // no warp-level code: every thread in turn
        c.append("      if (!strcmp(name, \"").append(m.group(1)).append("\")) { found = true;\n")
            .append("        for (unsigned y = 0; y < gy; y++) for (unsigned x = 0; x < gx; x++)\n")
            .append("          for (unsigned ty = 0; ty < by; ty++) for (unsigned tx = 0; tx < bx; tx++) {\n")
            .append("            blockIdx.x = x; blockIdx.y = y; threadIdx.x = tx; threadIdx.y = ty;\n")
            .append("            ").append(m.group(1)).append("(").append(String.join(", ", args)).append(");\n")
            .append("          }\n      }\n");
        continue;
      }
      // the blocks one after another; in a block, the warps one after another; a warp's 32 threads at once
      c.append("      if (!strcmp(name, \"").append(m.group(1)).append("\")) { found = true;\n")
          .append("        for (unsigned y = 0; y < gy; y++) for (unsigned x = 0; x < gx; x++)\n")
          .append("          for (unsigned first = 0; first < bx * by; first += 32) {\n")
          .append("            rad_warp_state warp;\n")
          .append("            rad_the_lanes()->run([&](unsigned lane) {\n")
          .append("              unsigned linear = first + lane;\n")
          .append("              blockIdx.x = x; blockIdx.y = y; threadIdx.x = linear % bx; threadIdx.y = linear / bx;\n")
          .append("              rad_warp_of_thread = &warp;\n")
          .append("              ").append(m.group(1)).append("(").append(String.join(", ", args)).append(");\n")
          .append("            });\n")
          .append("          }\n      }\n");
    }
    c.append("""
              printf(found ? "ok\\n" : "error: no kernel %s\\n", name);
            } else { printf("error: unknown command %s\\n", cmd); }
            fflush(stdout);
          }
          return 0;
        }
        """);
    try {
      Path dir = Files.createTempDirectory("rad-emulate");
      Path src = dir.resolve("module.cpp");
      Path exe = dir.resolve("module");
      Files.writeString(src, c.toString());
      String log = Nvcc.run(List.of("g++", "-O1", "-w", "-pthread", "-o", exe.toString(), src.toString()), dir);
      if (!log.startsWith("ok")) {
        deleteAll(dir);
        throw new IllegalStateException("g++ failed on the emulation of " + name + ":\n" + log);
      }
      Process p = new ProcessBuilder(exe.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Module module = new Module(p);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        p.destroy();
        try {
          p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException ignored) {
          Thread.currentThread().interrupt();
        }
        deleteAll(dir);
      }));
      return module;
    } catch (IOException e) {
      throw new IllegalStateException("could not build the emulation of " + name + ": " + e.getMessage(), e);
    }
  }

  private static void deleteAll(Path dir) {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
      Files.deleteIfExists(dir);
    } catch (IOException ignored) {
      // a temporary directory left behind
    }
  }

  @Override
  public Object alloc(long doubles) {
    return new Handle(current, Long.parseLong(current.call("alloc " + doubles).trim()));
  }

  @Override
  public void free(Object pointer) {
    Handle h = (Handle) pointer;
    h.module().call("free " + h.id());
  }

  @Override
  public void zero(Object pointer, long doubles) {
    Handle h = (Handle) pointer;
    h.module().call("zero " + h.id() + " " + doubles);
  }

  @Override
  public void upload(Object pointer, long offset, double[] from) {
    Handle h = (Handle) pointer;
    StringBuilder b = new StringBuilder("up ").append(h.id()).append(' ').append(offset).append(' ').append(from.length);
    for (double v : from) {
      b.append(' ').append(Double.toHexString(v));
    }
    h.module().call(b.toString());
  }

  @Override
  public void download(Object pointer, long offset, double[] to) {
    Handle h = (Handle) pointer;
    String[] parts = h.module().call("down " + h.id() + " " + offset + " " + to.length).trim().split(" ");
    for (int k = 0; k < to.length; k++) {
      to[k] = Double.parseDouble(parts[k + 1]);
    }
  }

  @Override
  public void copy(Object to, Object from, long doubles) {
    Handle t = (Handle) to;
    t.module().call("copy " + t.id() + " " + ((Handle) from).id() + " " + doubles);
  }

  @Override
  public void launch(String module, String kernel, int gridX, int gridY, int blockX, int blockY, Object[] args) {
    Module m = modules.get(module);
    StringBuilder b = new StringBuilder("launch ").append(kernel).append(' ').append(gridX).append(' ').append(gridY)
        .append(' ').append(blockX).append(' ').append(blockY).append(' ').append(args.length);
    for (Object a : args) {
      if (a instanceof Double d) {
        b.append(" d ").append(Double.toHexString(d));
      } else if (a instanceof Handle h) {
        b.append(" p ").append(h.id());
      } else if (a instanceof Integer || a instanceof Long) {
        b.append(" i ").append(a);
      } else {
        throw new IllegalArgumentException("kernel argument " + a);
      }
    }
    m.call(b.toString());
  }

  @Override
  public void synchronize() {
    // every command is answered after it ran
  }
}
