package org.rad.gradbench.evals;

import com.google.gson.JsonElement;
import java.util.Arrays;
import java.util.Map;
import org.rad.gradbench.EvalFunction;
import org.rad.gradbench.EvalModule;
import org.rad.gradbench.Json;

/** Module {@code llsq}: {@code primal} and {@code gradient} of {@link Llsq#residual}. */
public final class LlsqEval implements EvalModule {

  @Override
  public String name() {
    return "llsq";
  }

  @Override
  public Map<String, EvalFunction> functions() {
    return Map.of("primal", LlsqEval::primal, "gradient", LlsqEval::gradient);
  }

  @Override
  public Map<String, JsonElement> warmUpInputs() {
    JsonElement input = Json.object("x", Json.of(WarmUp.vector(128, 2)), "n", Json.of(64));
    return Map.of("primal", input, "gradient", input);
  }

  private static EvalFunction.Prepared primal(JsonElement input) {
    double[] x = Json.vector(Json.member(input, "x"));
    int n = Json.member(input, "n").getAsInt();
    double[] y = new double[1];
    return EvalFunction.Prepared.of(() -> y[0] = Llsq.residual(x, n), () -> Json.of(y[0]));
  }

  private static EvalFunction.Prepared gradient(JsonElement input) {
    double[] x = Json.vector(Json.member(input, "x"));
    int n = Json.member(input, "n").getAsInt();
    double[] xBar = new double[x.length];
    return EvalFunction.Prepared.of(() -> {
      Arrays.fill(xBar, 0);
      LlsqGrad.residual(x, n, xBar);
    }, () -> Json.of(xBar));
  }
}
