package org.rad.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The hello and lse evals end to end: GradBench's own eval drives this tool through the offline
 * relay {@code run.py} and validates every output against the manual C++ tool (exit code 0 =
 * every evaluation valid). Needs python3 with pydantic and numpy (GRADBENCH_PYTHON, default
 * /usr/bin/python3), g++ and the offline GradBench folder (GRADBENCH, default
 * ../shared/gradbench); without them the tests are skipped, and say so. The work tree
 * (GRADBENCH_WORK, default TMP/rad-gradbench-test) is kept so that the manual binaries for hello
 * and lse are built only once: about 6 s per run after that, plus about 20 s of g++ the first
 * time.
 */
class RunPyEndToEndTest {

  private static Path gradbench;
  private static String python;
  /** What is missing to run the evals, or null. */
  private static String missing;

  @BeforeAll
  static void findGradBench() throws Exception {
    gradbench = locate();
    python = System.getenv().getOrDefault("GRADBENCH_PYTHON", "/usr/bin/python3");
    missing = gradbench == null
        ? "the offline GradBench folder with run.py (set GRADBENCH)"
        : !new File(python).canExecute() ? python
        : run(List.of(python, "-c", "import pydantic, numpy"), 60) != 0
            ? "pydantic and numpy for " + python + " (sh ../shared/gradbench/setup.sh)"
            : run(List.of("sh", "-c", "command -v g++ make"), 10) != 0 ? "g++ and make" : null;
    if (missing != null) {
      System.err.println("RunPyEndToEndTest SKIPPED: no " + missing);
    }
  }

  @BeforeEach
  void skipWithoutPython() {
    Assumptions.assumeTrue(missing == null, "skipped: no " + missing);
  }

  private static Path locate() {
    String env = System.getenv("GRADBENCH");
    for (String d : new String[] {env, "../../shared/gradbench", "/work/shared/gradbench"}) {
      if (d != null && Files.isRegularFile(Path.of(d, "run.py"))) {
        return Path.of(d).toAbsolutePath();
      }
    }
    return null;
  }

  private static int run(List<String> command, int seconds) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return -1;
    }
    return p.exitValue();
  }

  /** Runs one eval against this tool (the test class path, no warm-up); returns run.py's output. */
  private static String runEval(String eval, String evalArgs) throws Exception {
    String workEnv = System.getenv("GRADBENCH_WORK");
    Path work = workEnv != null ? Path.of(workEnv)
        : Path.of(System.getProperty("java.io.tmpdir"), "rad-gradbench-test");
    Path log = Files.createTempFile("gradbench-" + eval, ".jsonl");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String tool = java + " -cp " + System.getProperty("java.class.path") + " "
        + GradBenchTool.class.getName();
    ProcessBuilder pb = new ProcessBuilder(python, gradbench.resolve("run.py").toString(),
        "--work", work.toString(), "--eval", eval, "--eval-args", evalArgs, "--tool", tool,
        "--timeout", "120", "-o", log.toString()).redirectErrorStream(true);
    pb.environment().put("RAD_GRADBENCH_WARMUP", "0");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "run.py did not finish");
    Files.deleteIfExists(log);
    Files.deleteIfExists(Path.of(log.toString().replace(".jsonl", ".summary.json")));
    assertEquals(0, p.exitValue(), "run.py exit code (0 = every output valid); its output:\n" + out);
    return out;
  }

  @Test
  void helloValidates() throws Exception {
    String out = runEval("hello", "");
    assertTrue(out.contains("valid 8, invalid 0"), out);
  }

  @Test
  void lseValidates() throws Exception {
    String out = runEval("lse", "-n 100 1000 --min-runs 2 --min-seconds 0");
    assertTrue(out.contains("valid 4, invalid 0"), out);
  }
}
