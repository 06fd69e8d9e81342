package org.rad.samples.reactor;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.rad.runtime.RadContext;
import org.rad.runtime.RadDiagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the bias of two randomized gradient estimators of the reactor loss at the initial
 * theta with {@link RadDiagnostics}: ours (kept values scaled by 1/f, fresh samples every call) and
 * the one the paper's public code builds (unscaled, one fixed sample pattern). Prints each one's
 * relative error of the mean of M gradients, its relative mean squared error, and how many
 * standard errors its mean lies from the exact gradient.
 */
@Command(name = "reactor-bias", mixinStandardHelpOptions = true,
    description = "Bias of the randomized reactor gradient: ours vs the paper code's estimator.")
public final class ReactorBiasCommand implements Callable<Integer> {
  @Option(names = "--grid", description = "Grid intervals N. Default: ${DEFAULT-VALUE}.")
  int n = ReactorProblem.GRID;

  @Option(names = "--steps", description = "Time steps S. Default: ${DEFAULT-VALUE}.")
  int steps = 4096;

  @Option(names = "--fraction", description = "Fraction of the field recorded. Default: ${DEFAULT-VALUE}.")
  double fraction = 0.01;

  @Option(names = "--draws", description = "Randomized gradients M per estimator. Default: ${DEFAULT-VALUE}.")
  int draws = 50;

  @Option(names = "--seed", description = "Seed of the samples. Default: ${DEFAULT-VALUE}.")
  long seed = 1;

  @Override
  public Integer call() {
    if (!(fraction > 0 && fraction <= 1) || draws < 2 || n < 2 || steps < 1) {
      System.err.println("error: need --fraction in (0, 1], --draws >= 2, --grid >= 2, --steps >= 1");
      return 2;
    }
    double[] theta = ReactorProblem.initialTheta();
    RadDiagnostics.RandomizedGradient g = ctx -> {
      double[] grad = new double[theta.length];
      ReactorGrad.loss(theta, n, steps, ReactorProblem.DT, grad, ctx);
      return grad;
    };
    System.out.printf(Locale.ROOT, "reactor gradient at the initial theta, N=%d, S=%d, f=%g, M=%d draws each%n",
        n, steps, fraction, draws);
    RadDiagnostics.Report ours = RadDiagnostics.measure(g, draws, seed, RadContext.seeded(seed).withFraction(fraction));
    RadDiagnostics.Report paper = RadDiagnostics.measure(g, draws, seed,
        RadContext.unscaledFixedPattern(seed).withFraction(fraction));
    System.out.println("| estimator | relative error of the mean | relative MSE | max standard errors from exact |");
    System.out.println("|---|---:|---:|---:|");
    print("ours (scaled 1/f, fresh samples)", ours);
    print("paper code (unscaled, fixed pattern)", paper);
    return 0;
  }

  private static void print(String name, RadDiagnostics.Report r) {
    System.out.printf(Locale.ROOT, "| %s | %.4f | %.4g | %.3g |%n", name, r.relativeErrorOfMean(),
        r.relativeMeanSquaredError(), r.maxStandardErrorsFromExact());
  }
}
