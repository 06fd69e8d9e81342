package org.rad.gradbench.evals;

import com.google.gson.JsonElement;
import java.util.Map;
import org.rad.gradbench.EvalFunction;
import org.rad.gradbench.EvalModule;
import org.rad.gradbench.Json;

/** Module {@code gmm}: {@code objective} and {@code jacobian} (its gradient) of {@link Gmm}. */
public final class GmmEval implements EvalModule {

  @Override
  public String name() {
    return "gmm";
  }

  @Override
  public Map<String, EvalFunction> functions() {
    return Map.of("objective", GmmEval::objective, "jacobian", GmmEval::jacobian);
  }

  @Override
  public long warmUpMillis() {
    return 3000;
  }

  @Override
  public Map<String, JsonElement> warmUpInputs() {
    int d = 5;
    int k = 4;
    JsonElement input = Json.object("d", Json.of(d), "k", Json.of(k), "n", Json.of(100),
        "x", Json.of(WarmUp.matrix(100, d, 13)), "m", Json.of(0), "gamma", Json.of(1.0),
        "alpha", Json.of(WarmUp.vector(k, 9)), "mu", Json.of(WarmUp.matrix(k, d, 10)),
        "q", Json.of(WarmUp.matrix(k, d, 11)), "l", Json.of(WarmUp.matrix(k, d * (d - 1) / 2, 12)));
    return Map.of("objective", input, "jacobian", input);
  }

  private record Input(double[] alpha, double[][] mu, double[][] q, double[][] l, double[][] x,
      double gamma, int m) {
    static Input of(JsonElement in) {
      return new Input(Json.vector(Json.member(in, "alpha")), Json.matrix(Json.member(in, "mu")),
          Json.matrix(Json.member(in, "q")), Json.matrix(Json.member(in, "l")),
          Json.matrix(Json.member(in, "x")), Json.member(in, "gamma").getAsDouble(),
          Json.member(in, "m").getAsInt());
    }
  }

  private static EvalFunction.Prepared objective(JsonElement json) {
    Input in = Input.of(json);
    double[] y = new double[1];
    return EvalFunction.Prepared.of(
        () -> y[0] = Gmm.objective(in.alpha, in.mu, in.q, in.l, in.x, in.gamma, in.m),
        () -> Json.of(y[0]));
  }

  private static EvalFunction.Prepared jacobian(JsonElement json) {
    Input in = Input.of(json);
    double[] alphaBar = new double[in.alpha.length];
    double[][] muBar = new double[in.mu.length][in.mu[0].length];
    double[][] qBar = new double[in.q.length][in.q[0].length];
    double[][] lBar = new double[in.l.length][in.l[0].length];
    return EvalFunction.Prepared.of(() -> {
      java.util.Arrays.fill(alphaBar, 0);
      for (double[][] m : new double[][][] {muBar, qBar, lBar}) {
        for (double[] row : m) {
          java.util.Arrays.fill(row, 0);
        }
      }
      GmmGrad.objective(in.alpha, in.mu, in.q, in.l, in.x, in.gamma, in.m, alphaBar, muBar, qBar,
          lBar);
    }, () -> Json.object("alpha", Json.of(alphaBar), "mu", Json.of(muBar), "q", Json.of(qBar),
        "l", Json.of(lBar)));
  }
}
