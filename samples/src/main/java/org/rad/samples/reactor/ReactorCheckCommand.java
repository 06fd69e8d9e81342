package org.rad.samples.reactor;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.rad.runtime.GradCheck;
import org.rad.runtime.RadContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Compares the generated exact gradient of the reactor loss with central differences of the loss
 * itself, at the paper's initial theta, at any size (the paper's: N = 32, S = 40960).
 */
@Command(name = "reactor-check", mixinStandardHelpOptions = true,
    description = "The generated reactor gradient against central differences, per component.")
public final class ReactorCheckCommand implements Callable<Integer> {
  @Option(names = "--grid", description = "Grid intervals N. Default: ${DEFAULT-VALUE}.")
  int n = ReactorProblem.GRID;

  @Option(names = "--steps", description = "Time steps S. Default: ${DEFAULT-VALUE} (the paper's).")
  int steps = ReactorProblem.PAPER_STEPS;

  @Option(names = "--h", description = "Difference step. Default: ${DEFAULT-VALUE}.")
  double h = 1e-6;

  @Override
  public Integer call() {
    double[] theta = ReactorProblem.initialTheta();
    GradCheck.Report r = GradCheck.check(
        t -> Reactor.loss(t, n, steps, ReactorProblem.DT),
        (t, grad) -> ReactorGrad.loss(t, n, steps, ReactorProblem.DT, grad, RadContext.exact()),
        theta, h, 1);
    System.out.printf(Locale.ROOT, "reactor loss at the initial theta, N=%d, S=%d, central differences with h=%g%n", n, steps, h);
    System.out.println("| component | generated | central difference | relative difference |");
    System.out.println("|---|---:|---:|---:|");
    double[] a = r.analytic();
    double[] fd = r.numeric();
    for (int k = 0; k < a.length; k++) {
      System.out.printf(Locale.ROOT, "| theta%d | %.10e | %.10e | %.2e |%n", k, a[k], fd[k],
          Math.abs(a[k] - fd[k]) / Math.max(Math.abs(a[k]), Math.abs(fd[k])));
    }
    System.out.printf(Locale.ROOT, "max relative difference %.2e%n", r.maxRelError());
    return r.maxRelError() <= 1e-6 ? 0 : 1;
  }
}
