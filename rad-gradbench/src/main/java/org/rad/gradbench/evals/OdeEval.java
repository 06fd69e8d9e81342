package org.rad.gradbench.evals;

import com.google.gson.JsonElement;
import java.util.Arrays;
import java.util.Map;
import org.rad.gradbench.EvalFunction;
import org.rad.gradbench.EvalModule;
import org.rad.gradbench.Json;

/** Module {@code ode}: {@code primal} ({@link Ode#solve}) and {@code gradient} of {@link Ode#last}. */
public final class OdeEval implements EvalModule {

  @Override
  public String name() {
    return "ode";
  }

  @Override
  public Map<String, EvalFunction> functions() {
    return Map.of("primal", OdeEval::primal, "gradient", OdeEval::gradient);
  }

  @Override
  public Map<String, JsonElement> warmUpInputs() {
    JsonElement input = Json.object("x", Json.of(WarmUp.vector(1000, 3)), "s", Json.of(3));
    return Map.of("primal", input, "gradient", input);
  }

  private static EvalFunction.Prepared primal(JsonElement input) {
    double[] x = Json.vector(Json.member(input, "x"));
    int s = Json.member(input, "s").getAsInt();
    double[][] y = new double[1][];
    return EvalFunction.Prepared.of(() -> y[0] = Ode.solve(x, s), () -> Json.of(y[0]));
  }

  private static EvalFunction.Prepared gradient(JsonElement input) {
    double[] x = Json.vector(Json.member(input, "x"));
    int s = Json.member(input, "s").getAsInt();
    double[] xBar = new double[x.length];
    return EvalFunction.Prepared.of(() -> {
      Arrays.fill(xBar, 0);
      OdeGrad.last(x, s, xBar);
    }, () -> Json.of(xBar));
  }
}
