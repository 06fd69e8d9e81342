package org.rad.gradbench.evals;

import com.google.gson.JsonElement;
import java.util.Arrays;
import java.util.Map;
import org.rad.gradbench.EvalFunction;
import org.rad.gradbench.EvalModule;
import org.rad.gradbench.Json;

/** Module {@code lse}: {@code primal} and {@code gradient} of {@link Lse#logSumExp}. */
public final class LseEval implements EvalModule {

  @Override
  public String name() {
    return "lse";
  }

  @Override
  public Map<String, EvalFunction> functions() {
    return Map.of("primal", LseEval::primal, "gradient", LseEval::gradient);
  }

  @Override
  public Map<String, JsonElement> warmUpInputs() {
    JsonElement input = Json.object("x", Json.of(WarmUp.vector(5000, 1)));
    return Map.of("primal", input, "gradient", input);
  }

  private static EvalFunction.Prepared primal(JsonElement input) {
    double[] x = Json.vector(Json.member(input, "x"));
    double[] y = new double[1];
    return EvalFunction.Prepared.of(() -> y[0] = Lse.logSumExp(x), () -> Json.of(y[0]));
  }

  private static EvalFunction.Prepared gradient(JsonElement input) {
    double[] x = Json.vector(Json.member(input, "x"));
    double[] xBar = new double[x.length];
    return EvalFunction.Prepared.of(() -> {
      Arrays.fill(xBar, 0);
      LseGrad.logSumExp(x, xBar);
    }, () -> Json.of(xBar));
  }
}
