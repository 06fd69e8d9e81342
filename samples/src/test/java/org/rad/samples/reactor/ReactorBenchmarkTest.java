package org.rad.samples.reactor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.rad.samples.RadCli;
import picocli.CommandLine;

/**
 * {@code bin/rad bench-reactor} on a small grid: the exact phase here, the randomized one in the
 * JVM it starts. Times are not checked (no timed tests); the report's tapes are: the exact tape
 * holds at least one double per interior cell per step, the randomized one (f = 0.01) far less.
 */
class ReactorBenchmarkTest {
  @Test
  void reportsBothPhases() {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exit = new CommandLine(new RadCli()).execute("bench-reactor", "--grid", "8", "--steps", "64", "--repeats", "1",
          "--warmup", "0");
    } finally {
      System.setOut(out);
    }
    String report = captured.toString(StandardCharsets.UTF_8);
    assertEquals(0, exit, report);
    double exactBytesPerCell = number(report, "tape +([0-9.]+) MB +\\(([0-9.]+) bytes per interior cell", 2);
    assertTrue(exactBytesPerCell >= 8, report);
    double exactMb = number(report, "tape +([0-9.]+) MB", 1);
    double randomizedMb = number(report, "\\(tape ([0-9.]+) MB\\)", 1);
    assertTrue(randomizedMb < exactMb / 5, report);
    assertTrue(number(report, "randomized / exact +([0-9.]+)", 1) > 0, report);
  }

  private static double number(String report, String regex, int group) {
    Matcher m = Pattern.compile(regex).matcher(report);
    assertTrue(m.find(), regex + " in\n" + report);
    return Double.parseDouble(m.group(group));
  }
}
