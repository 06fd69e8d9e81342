package org.rad.gradbench.evals;

import com.google.gson.JsonElement;
import java.util.Map;
import org.rad.gradbench.EvalFunction;
import org.rad.gradbench.EvalModule;
import org.rad.gradbench.Json;

/** Module {@code hello}: {@code square} is x*x, {@code double} its derivative, by rad. */
public final class HelloEval implements EvalModule {

  @Override
  public String name() {
    return "hello";
  }

  @Override
  public Map<String, EvalFunction> functions() {
    return Map.of("square", HelloEval::square, "double", HelloEval::derivative);
  }

  @Override
  public long warmUpMillis() {
    return 500;
  }

  @Override
  public Map<String, JsonElement> warmUpInputs() {
    return Map.of("square", Json.of(1.5), "double", Json.of(1.5));
  }

  private static EvalFunction.Prepared square(JsonElement input) {
    double x = input.getAsDouble();
    return new EvalFunction.Prepared() {
      double y;

      @Override
      public void run() {
        y = Hello.square(x);
      }

      @Override
      public JsonElement output() {
        return Json.of(y);
      }
    };
  }

  private static EvalFunction.Prepared derivative(JsonElement input) {
    double x = input.getAsDouble();
    double[] xBar = new double[1];
    return new EvalFunction.Prepared() {
      @Override
      public void run() {
        xBar[0] = 0;
        HelloGrad.square(x, xBar);
      }

      @Override
      public JsonElement output() {
        return Json.of(xBar[0]);
      }
    };
  }
}
