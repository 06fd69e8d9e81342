package org.rad.runtime.cuda;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code nvcc} on the PATH: PTX for a CUDA C module when NVRTC is not loadable, and the check that
 * every generated module compiles (the tests run it with no GPU).
 */
public final class Nvcc {
  private static volatile Boolean available;

  private Nvcc() {}

  /** Whether {@code nvcc --version} runs. */
  public static boolean available() {
    if (available == null) {
      try {
        available = run(List.of("nvcc", "--version"), null).startsWith("ok");
      } catch (IOException e) {
        available = false;
      }
    }
    return available;
  }

  /**
   * The oldest virtual architecture this nvcc supports, from {@code nvcc --list-gpu-arch}
   * ({@code compute_75} for CUDA 13, {@code compute_50} for CUDA 12), but at least
   * {@code compute_60}, which the kernels need.
   */
  public static String oldestArch() {
    try {
      String out = run(List.of("nvcc", "--list-gpu-arch"), null);
      for (String line : out.split("\n")) {
        line = line.trim();
        if (line.startsWith("compute_")) {
          int cc = Integer.parseInt(line.substring("compute_".length()).replaceAll("[^0-9].*", ""));
          return "compute_" + Math.max(60, cc);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // an old nvcc without --list-gpu-arch
    }
    return "compute_60";
  }

  /**
   * The PTX of {@code source}, compiled with {@code nvcc --ptx -arch=arch}.
   *
   * @throws IllegalStateException with nvcc's output if it fails
   */
  public static String ptx(String name, String source, String arch) {
    try {
      Path dir = Files.createTempDirectory("rad-cuda");
      Path cu = dir.resolve(name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".cu");
      Path out = dir.resolve("module.ptx");
      Files.writeString(cu, source);
      String log = run(List.of("nvcc", "--ptx", "-arch=" + arch, "-o", out.toString(), cu.toString()), dir);
      if (!log.startsWith("ok")) {
        throw new IllegalStateException("nvcc failed on " + cu + ":\n" + log);
      }
      String ptx = Files.readString(out);
      Files.delete(out);
      Files.delete(cu);
      Files.delete(dir);
      return ptx;
    } catch (IOException e) {
      throw new IllegalStateException("could not run nvcc on " + name + ": " + e.getMessage(), e);
    }
  }

  /** Runs a command; its output, prefixed "ok\n" on exit 0, else "failed (rc)\n". */
  static String run(List<String> command, Path dir) throws IOException {
    ProcessBuilder b = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true);
    if (dir != null) {
      b.directory(dir.toFile());
    }
    Process p = b.start();
    String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (!p.waitFor(600, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "failed (timeout)\n" + log;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    return (p.exitValue() == 0 ? "ok\n" : "failed (" + p.exitValue() + ")\n") + log;
  }
}
