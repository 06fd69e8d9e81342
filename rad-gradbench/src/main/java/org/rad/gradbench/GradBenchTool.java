package org.rad.gradbench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.rad.gradbench.evals.DetEval;
import org.rad.gradbench.evals.GmmEval;
import org.rad.gradbench.evals.HelloEval;
import org.rad.gradbench.evals.LlsqEval;
import org.rad.gradbench.evals.LseEval;
import org.rad.gradbench.evals.LstmEval;
import org.rad.gradbench.evals.OdeEval;

/**
 * The GradBench tool: reads one JSON message per line on stdin, answers each with one line on
 * stdout, until stdin ends. Nothing else goes to stdout (GradBench reads it as the protocol).
 */
public final class GradBenchTool {

  private GradBenchTool() {}

  /** Every eval module this tool implements. */
  public static List<EvalModule> modules() {
    return List.of(new HelloEval(), new LseEval(), new LlsqEval(), new DetEval(), new OdeEval(),
        new GmmEval(), new LstmEval());
  }

  public static void main(String[] args) throws IOException {
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    System.setOut(System.err); // a stray print must not corrupt the protocol stream
    boolean warmUp = !"0".equals(System.getenv("RAD_GRADBENCH_WARMUP"));
    Protocol protocol = new Protocol(modules(), warmUp);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.isBlank()) {
        continue;
      }
      out.println(protocol.handle(line));
      out.flush();
    }
  }
}
