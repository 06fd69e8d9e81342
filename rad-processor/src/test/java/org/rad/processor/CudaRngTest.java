package org.rad.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rad.processor.emit.CudaPrelude;
import org.rad.runtime.CounterRng;
import org.rad.runtime.cuda.Nvcc;

/**
 * The device RNG of the generated CUDA modules ({@link CudaPrelude#RNG}) gives bit for bit what
 * {@link CounterRng} gives, so a GPU keeps exactly the records the CPU keeps for one seed. The C
 * functions are {@code __host__ __device__}: this test compiles them into a host program (with
 * nvcc, else with g++ and the CUDA qualifiers defined away) and compares its output with Java's on
 * known inputs, no GPU needed.
 */
class CudaRngTest {
  private static final long[] SEEDS = {0L, 1L, 42L, -1L, 0x123456789ABCDEFL, Long.MIN_VALUE};
  private static final int[] SITES = {0, 1, 7, -3, 1000};
  private static final long[][] KEYS = {{}, {0}, {5}, {-1}, {1, 2}, {4096, 31, 17}, {Long.MAX_VALUE, -7, 0, 3}};
  private static final double[] FRACTIONS = {0.001, 0.01, 0.1, 0.5, 0.999, 1.0};
  private static final long[] INDICES = {0, 5, 63, 64, -1, 1000};
  private static final long[] ROWS = {0, 0, 3, -2, 7, 1};

  @Test
  void deviceRngGivesTheBitsOfCounterRng() throws Exception {
    String compiler = Nvcc.available() ? "nvcc" : onPath("g++") ? "g++" : null;
    assumeTrue(compiler != null, "SKIPPED: neither nvcc nor g++ is on the PATH, so the device RNG cannot be compiled here");
    StringBuilder c = new StringBuilder();
    if (compiler.equals("g++")) {
      c.append("#define __host__\n#define __device__\n");
    }
    c.append("#include <stdio.h>\n#include <math.h>\n").append(CudaPrelude.RNG).append("""
        int main(void) {
          unsigned long long seeds[] = {0ULL, 1ULL, 42ULL, 0xFFFFFFFFFFFFFFFFULL, 0x123456789ABCDEFULL, 0x8000000000000000ULL};
          int sites[] = {0, 1, 7, -3, 1000};
          double fractions[] = {0.001, 0.01, 0.1, 0.5, 0.999, 1.0};
          long long indices[] = {0, 5, 63, 64, -1, 1000};
          long long rows[] = {0, 0, 3, -2, 7, 1};
          unsigned long long keys[] = {
            rad_key0(), rad_key1(0), rad_key1(5), rad_key1(-1), rad_key2(1, 2), rad_key3(4096, 31, 17),
            rad_key4(0x7FFFFFFFFFFFFFFFLL, -7, 0, 3)};
          for (int k = 0; k < 7; k++) printf("key %llu\\n", keys[k]);
          for (int s = 0; s < 6; s++) {
            printf("mix %llu\\n", rad_mix(seeds[s]));
            for (long long call = 0; call < 3; call++) printf("stream %llu\\n", rad_stream_seed(seeds[s], call));
            for (int t = 0; t < 5; t++) {
              for (int k = 0; k < 7; k++) {
                unsigned long long h = rad_hash(seeds[s], sites[t], keys[k]);
                printf("hash %llu %a\\n", h, rad_uniform(h));
                for (int f = 0; f < 6; f++) {
                  for (int x = 0; x < 6; x++) {
                    printf("keep %d %a\\n", rad_keep(seeds[s], sites[t], keys[k], rows[x], indices[x], fractions[f]),
                        rad_record(1.25, 0, seeds[s], sites[t], keys[k], rows[x], indices[x], fractions[f], 1));
                  }
                }
              }
            }
          }
          return 0;
        }
        """);
    Path dir = Files.createTempDirectory("rad-rng");
    Path src = dir.resolve(compiler.equals("nvcc") ? "rng.cu" : "rng.cpp");
    Files.writeString(src, c.toString());
    Path exe = dir.resolve("rng");
    run(List.of(compiler, "-O2", "-o", exe.toString(), src.toString()));
    List<String> device = List.of(run(List.of(exe.toString())).split("\n"));
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);

    List<String> java = new ArrayList<>();
    long[] keys = new long[KEYS.length];
    for (int k = 0; k < KEYS.length; k++) {
      keys[k] = CounterRng.key(KEYS[k]);
      java.add("key " + Long.toUnsignedString(keys[k]));
    }
    for (long seed : SEEDS) {
      java.add("mix " + Long.toUnsignedString(CounterRng.mix(seed)));
      for (long call = 0; call < 3; call++) {
        java.add("stream " + Long.toUnsignedString(CounterRng.streamSeed(seed, call)));
      }
      for (int site : SITES) {
        for (long key : keys) {
          long h = CounterRng.hash(seed, site, key);
          java.add("hash " + Long.toUnsignedString(h) + " " + hex(CounterRng.uniform(h)));
          for (double f : FRACTIONS) {
            for (int x = 0; x < INDICES.length; x++) {
              boolean keep = CounterRng.keep(seed, site, key, ROWS[x], INDICES[x], f);
              double stored = f >= 1 ? 1.25 : keep ? 1.25 / f : 0.0;
              java.add("keep " + (keep ? 1 : 0) + " " + hex(stored));
            }
          }
        }
      }
    }
    assertEquals(java.size(), device.size(), "lines");
    for (int k = 0; k < java.size(); k++) {
      assertEquals(java.get(k), device.get(k), "line " + k + " (compiled with " + compiler + ")");
    }
  }

  /** A double as C's {@code %a} prints it. */
  private static String hex(double v) {
    if (v == 0) {
      return "0x0p+0";
    }
    String s = Double.toHexString(v); // 0x1.4p0
    int p = s.indexOf('p');
    String mantissa = s.substring(0, p);
    if (mantissa.endsWith(".0")) {
      mantissa = mantissa.substring(0, mantissa.length() - 2);
    }
    String exp = s.substring(p + 1);
    return mantissa + "p" + (exp.startsWith("-") ? exp : "+" + exp);
  }

  private static boolean onPath(String tool) {
    try {
      return new ProcessBuilder(tool, "--version").redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(300, TimeUnit.SECONDS);
    assertEquals(0, p.exitValue(), command + " failed:\n" + out);
    return out;
  }
}
