package org.rad.gradbench.evals;

import com.google.gson.JsonElement;
import java.util.Map;
import org.rad.gradbench.EvalFunction;
import org.rad.gradbench.EvalModule;
import org.rad.gradbench.Json;

/** Module {@code lstm}: {@code objective} and {@code jacobian} (its gradient) of {@link Lstm}. */
public final class LstmEval implements EvalModule {

  @Override
  public String name() {
    return "lstm";
  }

  @Override
  public Map<String, EvalFunction> functions() {
    return Map.of("objective", LstmEval::objective, "jacobian", LstmEval::jacobian);
  }

  @Override
  public long warmUpMillis() {
    return 3000;
  }

  @Override
  public Map<String, JsonElement> warmUpInputs() {
    int b = 14;
    JsonElement input = Json.object("main_params", Json.of(WarmUp.matrix(4, 4 * b, 5)),
        "extra_params", Json.of(WarmUp.matrix(3, b, 6)), "state", Json.of(WarmUp.matrix(4, b, 7)),
        "sequence", Json.of(WarmUp.matrix(200, b, 8)));
    return Map.of("objective", input, "jacobian", input);
  }

  private record Input(double[][] main, double[][] extra, double[][] state, double[][] sequence) {
    static Input of(JsonElement input) {
      return new Input(Json.matrix(Json.member(input, "main_params")),
          Json.matrix(Json.member(input, "extra_params")),
          Json.matrix(Json.member(input, "state")), Json.matrix(Json.member(input, "sequence")));
    }
  }

  private static EvalFunction.Prepared objective(JsonElement json) {
    Input in = Input.of(json);
    double[] y = new double[1];
    return EvalFunction.Prepared.of(
        () -> y[0] = Lstm.objective(in.main, in.extra, in.state, in.sequence), () -> Json.of(y[0]));
  }

  private static EvalFunction.Prepared jacobian(JsonElement json) {
    Input in = Input.of(json);
    double[][] mainBar = new double[in.main.length][in.main[0].length];
    double[][] extraBar = new double[in.extra.length][in.extra[0].length];
    return EvalFunction.Prepared.of(() -> {
      zero(mainBar);
      zero(extraBar);
      LstmGrad.objective(in.main, in.extra, in.state, in.sequence, mainBar, extraBar);
    }, () -> {
      // the gradient of main_params then extra_params, each flattened row by row
      double[] flat = new double[in.main.length * in.main[0].length
          + in.extra.length * in.extra[0].length];
      int k = 0;
      for (double[][] m : new double[][][] {mainBar, extraBar}) {
        for (double[] row : m) {
          System.arraycopy(row, 0, flat, k, row.length);
          k += row.length;
        }
      }
      return Json.of(flat);
    });
  }

  private static void zero(double[][] m) {
    for (double[] row : m) {
      java.util.Arrays.fill(row, 0);
    }
  }
}
