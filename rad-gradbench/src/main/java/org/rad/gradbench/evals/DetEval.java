package org.rad.gradbench.evals;

import com.google.gson.JsonElement;
import java.util.Arrays;
import java.util.Map;
import org.rad.gradbench.EvalFunction;
import org.rad.gradbench.EvalModule;
import org.rad.gradbench.Json;

/** Module {@code det}: {@code primal} and {@code gradient} of {@link Det#determinant}. */
public final class DetEval implements EvalModule {

  @Override
  public String name() {
    return "det";
  }

  @Override
  public Map<String, EvalFunction> functions() {
    return Map.of("primal", DetEval::primal, "gradient", DetEval::gradient);
  }

  @Override
  public Map<String, JsonElement> warmUpInputs() {
    JsonElement input = Json.object("A", Json.of(WarmUp.vector(36, 4)), "ell", Json.of(6));
    return Map.of("primal", input, "gradient", input);
  }

  private static EvalFunction.Prepared primal(JsonElement input) {
    double[] a = Json.vector(Json.member(input, "A"));
    int ell = Json.member(input, "ell").getAsInt();
    double[] y = new double[1];
    return EvalFunction.Prepared.of(() -> y[0] = Det.determinant(a, ell), () -> Json.of(y[0]));
  }

  private static EvalFunction.Prepared gradient(JsonElement input) {
    double[] a = Json.vector(Json.member(input, "A"));
    int ell = Json.member(input, "ell").getAsInt();
    double[] aBar = new double[a.length];
    return EvalFunction.Prepared.of(() -> {
      Arrays.fill(aBar, 0);
      DetGrad.determinant(a, ell, aBar);
    }, () -> Json.of(aBar));
  }
}
