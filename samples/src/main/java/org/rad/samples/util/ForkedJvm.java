package org.rad.samples.util;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a main class in a fresh JVM with this JVM's class path and options (less debugging and
 * profiling agents), as the benchmarks do to time one thing in a JVM whose JIT nothing else
 * trained. The child's standard error is this one's; of its standard output, the line that starts
 * with a given prefix is the result and every other line is passed on to standard error.
 */
public final class ForkedJvm {
  private ForkedJvm() {}

  /** What the child JVM ended with: its exit status and its result line (prefix removed), or null. */
  public record Outcome(int exit, String result) {
    /** Whether the child exited with 0 and printed a result line. */
    public boolean ok() {
      return exit == 0 && result != null;
    }
  }

  /** Runs {@code mainClass} with {@code args}, adding {@code jvmArgs} to this JVM's options. */
  public static Outcome run(List<String> jvmArgs, String mainClass, List<String> args, String resultPrefix)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent") && !arg.startsWith("-Xrunjdwp")) {
        command.add(arg); // e.g. -Xmx from RAD_JAVA_OPTS
      }
    }
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String result = null;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = reader.readLine()) != null; ) {
        if (line.startsWith(resultPrefix)) {
          result = line.substring(resultPrefix.length());
        } else {
          System.err.println(line);
        }
      }
    }
    return new Outcome(process.waitFor(), result);
  }
}
