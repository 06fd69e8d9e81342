package org.rad.samples.mlp;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.rad.runtime.RadContext;
import org.rad.samples.util.Timing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Time per training iteration (gradient of one mini-batch) of the 784-300-300-300-10 MLP: the
 * generated exact and randomized gradients of the plain-loop and the EJML versions against
 * backpropagation written by hand, in one run.
 */
@Command(name = "bench-mlp", mixinStandardHelpOptions = true,
    description = "MLP gradient time: generated exact and RAD vs hand-written backprop.")
public final class MlpBenchmark implements Callable<Integer> {
  @Option(names = "--batch", description = "Mini-batch size. Default: ${DEFAULT-VALUE}.")
  int batch = 150;

  @Option(names = "--repeats", description = "Timed gradients of each (median). Default: ${DEFAULT-VALUE}.")
  int repeats = 15;

  @Override
  public Integer call() {
    int[] sizes = {784, 300, 300, 300, 10};
    MlpParams p = MlpParams.init(sizes, 1);
    SplittableRandom random = new SplittableRandom(2);
    double[][] x = new double[batch][784];
    for (double[] row : x) {
      for (int j = 0; j < row.length; j++) {
        row[j] = random.nextDouble();
      }
    }
    int[] labels = random.ints(batch, 0, 10).toArray();
    RadContext exact = RadContext.exact();
    RadContext rad = RadContext.seeded(3).withFraction(0.1);
    Runnable hand = () -> HandWrittenMlp.lossAndGradient(p, x, labels, p.zeros());
    Runnable generated = () -> generated(p, x, labels, exact);
    Runnable randomized = () -> generated(p, x, labels, rad);
    EjmlMlpParams m = EjmlMlpParams.of(p);
    org.ejml.data.DMatrixRMaj xm = new org.ejml.data.DMatrixRMaj(x);
    RadContext ejmlExactCtx = RadContext.exact();
    RadContext ejmlRadCtx = RadContext.seeded(3).withFraction(0.1);
    Runnable ejmlExact = () -> ejml(m, xm, labels, ejmlExactCtx);
    Runnable ejmlRad = () -> ejml(m, xm, labels, ejmlRadCtx);
    // the hand-written and generated gradients agree (a check that the comparison is fair)
    MlpParams a = p.zeros();
    MlpParams b = p.zeros();
    HandWrittenMlp.lossAndGradient(p, x, labels, a);
    MlpGrad.loss(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels,
        b.w[0], b.b[0], b.w[1], b.b[1], b.w[2], b.b[2], b.w[3], b.b[3], exact);
    double diff = 0;
    double[] fa = a.flatten();
    double[] fb = b.flatten();
    double[] fe = ejml(m, xm, labels, RadContext.exact()).flatten();
    for (int k = 0; k < fa.length; k++) {
      diff = Math.max(diff, Math.max(Math.abs(fa[k] - fb[k]), Math.abs(fa[k] - fe[k])));
    }
    for (int w = 0; w < 5; w++) {
      hand.run();
      generated.run();
      randomized.run();
      ejmlExact.run();
      ejmlRad.run();
    }
    long[] th = new long[repeats];
    long[] tg = new long[repeats];
    long[] tr = new long[repeats];
    long[] te = new long[repeats];
    long[] ter = new long[repeats];
    for (int r = 0; r < repeats; r++) {
      th[r] = time(hand);
      tg[r] = time(generated);
      tr[r] = time(randomized);
      te[r] = time(ejmlExact);
      ter[r] = time(ejmlRad);
    }
    double h = Timing.medianMillis(th);
    double g = Timing.medianMillis(tg);
    double rr = Timing.medianMillis(tr);
    double e = Timing.medianMillis(te);
    double er = Timing.medianMillis(ter);
    System.out.printf(Locale.ROOT, "MLP 784-300-300-300-10, batch %d, medians of %d (max |hand - generated| = %.2e over both)%n",
        batch, repeats, diff);
    System.out.println("| gradient | ms per iteration | / hand-written |");
    System.out.println("|---|---:|---:|");
    System.out.printf(Locale.ROOT, "| hand-written backprop | %.1f | 1.00 |%n", h);
    System.out.printf(Locale.ROOT, "| generated exact | %.1f | %.2f (target <= 1.3) |%n", g, g / h);
    System.out.printf(Locale.ROOT, "| generated RAD f = 0.1 | %.1f | %.2f |%n", rr, rr / h);
    System.out.printf(Locale.ROOT, "| generated exact, EJML (EjmlMlp) | %.1f | %.2f |%n", e, e / h);
    System.out.printf(Locale.ROOT, "| generated RAD f = 0.1, EJML | %.1f | %.2f (%.2f of EJML exact) |%n", er, er / h, er / e);
    generated(p, x, labels, exact);
    generated(p, x, labels, rad);
    ejml(m, xm, labels, ejmlExactCtx);
    ejml(m, xm, labels, ejmlRadCtx);
    double perExact = (double) exact.peakTapeBytes() / batch;
    double perRad = (double) rad.peakTapeBytes() / batch;
    double perEjml = (double) ejmlExactCtx.peakTapeBytes() / batch;
    double perEjmlRad = (double) ejmlRadCtx.peakTapeBytes() / batch;
    System.out.println();
    System.out.println("| memory per mini-batch element | exact | RAD f = 0.1 | exact / RAD |");
    System.out.println("|---|---:|---:|---:|");
    System.out.printf(Locale.ROOT, "| this tape (peakTapeBytes / batch) | %.1f bytes | %.1f bytes | %.1f |%n", perExact, perRad,
        perExact / perRad);
    System.out.printf(Locale.ROOT, "| this tape, EJML | %.1f bytes | %.1f bytes | %.1f |%n", perEjml, perEjmlRad,
        perEjml / perEjmlRad);
    System.out.println("| the paper's accounting | 6776 bytes | 828.5 bytes | 8.2 |");
    return 0;
  }

  private static void generated(MlpParams p, double[][] x, int[] labels, RadContext ctx) {
    MlpParams bar = p.zeros();
    MlpGrad.loss(p.w[0], p.b[0], p.w[1], p.b[1], p.w[2], p.b[2], p.w[3], p.b[3], x, labels,
        bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], ctx);
  }

  private static EjmlMlpParams ejml(EjmlMlpParams m, org.ejml.data.DMatrixRMaj x, int[] labels, RadContext ctx) {
    EjmlMlpParams bar = m.zeros();
    EjmlMlpGrad.loss(m.w[0], m.b[0], m.w[1], m.b[1], m.w[2], m.b[2], m.w[3], m.b[3], x, labels,
        bar.w[0], bar.b[0], bar.w[1], bar.b[1], bar.w[2], bar.b[2], bar.w[3], bar.b[3], ctx);
    return bar;
  }

  private static long time(Runnable r) {
    long t0 = System.nanoTime();
    r.run();
    return System.nanoTime() - t0;
  }

}
