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
  public void warmUp() {
    double[] x = WarmUp.vector(1000, 3);
    double[] bar = new double[x.length];
    WarmUp.run(2000, () -> Ode.solve(x, 3), () -> OdeGrad.last(x, 3, bar));
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
