package org.rad.fuzz;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.rad.runtime.RadContext;

/**
 * Checks one compiled program against its original method, at a few argument points drawn from the
 * program's seed:
 *
 * <ol>
 *   <li>the generated method's value equals the original's (relative 1e-12);
 *   <li>every array argument ends as the original leaves it (relative 1e-12 per element);
 *   <li>a second call on the same {@link RadContext} gives the same value, gradient and arrays;
 *   <li>each gradient component matches central differences at one of the steps 1e-4 ... 1e-7
 *       (relative {@value #GRAD_TOL}, plus the rounding of f's two values over the step:
 *       {@value #ROUNDING_ULPS} ulps of the larger, divided by 2h; where |f| is 1e11 the
 *       differences at small steps are 0 whatever the slope, so a step whose rounding is coarser
 *       than {@value #RESOLVABLE} max(1, |g|) is not compared, and a component no step resolves
 *       is skipped); a component matching none is wrong when two pairs of
 *       adjacent steps agree with each other (within {@value #SMOOTH_TOL}, plus their rounding) and f is continuous
 *       at those steps (second difference within {@value #CONTINUITY_TOL}), and the generated
 *       gradient at x plus and minus the smallest step agrees with the one at x (else f varies
 *       faster than any step resolves), and skipped otherwise
 *       (the function is not smooth there at the scale of the steps: a {@code sin} of a value
 *       near 1e11 oscillates faster than any step, and its share of a difference, at most 1/h,
 *       vanishes beside a large linear slope, so that one pair can agree by accident);
 *   <li>with {@code @Randomize}, a seeded context at fraction 1 gives the exact gradient (when
 *       the sampling is exact at fraction 1: Bernoulli, without replacement), a seeded
 *       context at the source's fraction runs and gives the original value, and the mean of
 *       {@value #DRAWS} seeded gradients at fraction 0.5 is within {@value #BIAS_SIGMAS} standard
 *       errors (plus 1e-8 relative for rounding) of the exact gradient in every component: unbiased.
 *       A false alarm has probability below 1e-8 per component if the draws' mean is normal.
 * </ol>
 *
 * <p>Any exception out of the generated code is a crash.
 */
public final class Checker {
  static final double GRAD_TOL = 1e-5;
  /** Seeded randomized gradients averaged by the unbiasedness check. */
  static final int DRAWS = 400;
  /** Standard errors the mean may stray from the exact gradient. */
  static final double BIAS_SIGMAS = 6;
  static final double SMOOTH_TOL = 1e-7;
  static final double VALUE_TOL = 1e-12;
  /** Largest second difference, relative to max(1, |f(x)|), at which f counts as continuous. */
  static final double CONTINUITY_TOL = 1e-6;
  private static final double[] STEPS = {1e-4, 1e-5, 1e-6, 1e-7};
  /** Ulps of f's value by which a central difference's two values may be rounded (see compareDifferences). */
  static final double ROUNDING_ULPS = 4;
  /** The coarsest rounding resolution, relative to max(1, |g|), at which a step still shows the derivative. */
  static final double RESOLVABLE = 0.1;
  private final int points;

  public Checker(int points) {
    this.points = points;
  }

  /** A failed check: its outcome and the explanation. */
  private static final class Failure extends Exception {
    final Outcome outcome;

    Failure(Outcome outcome, String message) {
      super(message, null, false, false);
      this.outcome = outcome;
    }
  }

  /** Checks {@code user} (the original class) against {@code grad} (the generated class). */
  public Verdict check(Program p, Class<?> user, Class<?> grad) {
    Method primal = Arrays.stream(user.getDeclaredMethods()).filter(m -> m.getName().equals(Program.ENTRY)).findFirst().orElse(null);
    int[] wrt = p.wrtIndices();
    int arity = p.params().size() + wrt.length + 1;
    Method gradient = Arrays.stream(grad.getDeclaredMethods())
        .filter(m -> m.getName().equals(Program.ENTRY) && m.getParameterCount() == arity).findFirst().orElse(null);
    if (primal == null || gradient == null) {
      return Verdict.of(p, Outcome.INVALID_PROGRAM, "no entry method f" + (gradient == null ? " in the generated class" : ""));
    }
    primal.setAccessible(true);
    gradient.setAccessible(true);
    Call call = new Call(p, primal, gradient, wrt);
    SplittableRandom random = new SplittableRandom(p.seed() * 0x9E3779B97F4A7C15L + 17);
    int checked = 0;
    int skipped = 0;
    int usable = 0;
    try {
      for (int attempt = 0; attempt < points * 3 && usable < points; attempt++) {
        Object[] args = call.draw(random);
        double expected;
        Object[] after = Call.copy(args);
        try {
          expected = call.primal(after);
        } catch (InvocationTargetException e) {
          return Verdict.of(p, Outcome.INVALID_PROGRAM, "the original method throws: " + e.getCause() + " at " + Call.show(args));
        }
        if (!Double.isFinite(expected) || Math.abs(expected) > 1e12) {
          continue; // values this large make differences meaningless; draw another point
        }
        usable++;
        int[] counts = checkPoint(call, args, expected, after, usable - 1);
        checked += counts[0];
        skipped += counts[1];
      }
    } catch (Failure f) {
      return new Verdict(p, f.outcome, f.getMessage(), skipped, checked);
    }
    if (usable == 0) {
      return new Verdict(p, Outcome.SKIPPED, "no point with a finite value below 1e12", 0, 0);
    }
    Outcome o = checked == 0 && skipped > 0 ? Outcome.SKIPPED : Outcome.PASS;
    return new Verdict(p, o, skipped == 0 ? "" : skipped + " of " + (checked + skipped) + " components skipped (not smooth)", skipped, checked);
  }

  /** Returns {checked components, skipped components}. */
  private int[] checkPoint(Call call, Object[] args, double expected, Object[] primalAfter, int point) throws Failure {
    String where = " at point " + point + " " + Call.show(args);
    RadContext ctx = RadContext.exact();
    Call.Result r = call.gradient(args, ctx, where);
    if (!close(r.value(), expected, VALUE_TOL)) {
      throw new Failure(Outcome.WRONG_VALUE, "value " + r.value() + " but the original gives " + expected + where);
    }
    compareArrays(primalAfter, r.after(), "after the gradient call", where);
    Call.Result again = call.gradient(args, ctx, where);
    if (Double.compare(again.value(), r.value()) != 0 || !Arrays.equals(again.gradient(), r.gradient())
        || !Arrays.deepEquals(again.after(), r.after())) {
      throw new Failure(Outcome.REUSE_MISMATCH, "a second call on the same context gives value " + again.value()
          + " (first " + r.value() + "), gradient " + Arrays.toString(again.gradient()) + " (first "
          + Arrays.toString(r.gradient()) + ")" + where);
    }
    int[] counts = compareDifferences(call, args, r.gradient(), where);
    if (call.program.randomizeAny()) {
      checkRandomized(call, args, expected, r, where);
    }
    return counts;
  }

  private void checkRandomized(Call call, Object[] args, double expected, Call.Result exact, String where) throws Failure {
    RadContext one = RadContext.seeded(call.program.seed()).withFraction(1.0);
    Call.Result r1 = call.gradient(args, one, where + " (seeded context, fraction 1)");
    if (!close(r1.value(), expected, VALUE_TOL)) {
      throw new Failure(Outcome.WRONG_VALUE, "seeded context at fraction 1: value " + r1.value() + " but the original gives " + expected + where);
    }
    if (call.program.randomized()) {
      for (int k = 0; k < r1.gradient().length; k++) {
        if (!close(r1.gradient()[k], exact.gradient()[k], 1e-9)) {
          throw new Failure(Outcome.WRONG_GRADIENT, "seeded context at fraction 1: component " + call.label(args, k) + " is "
              + r1.gradient()[k] + " but the exact context gives " + exact.gradient()[k] + where);
        }
      }
      compareArrays(exact.after(), r1.after(), "after the seeded call at fraction 1", where);
    }
    RadContext half = RadContext.seeded(call.program.seed());
    Call.Result rh = call.gradient(args, half, where + " (seeded context, fraction 0.5)");
    if (!close(rh.value(), expected, VALUE_TOL)) {
      throw new Failure(Outcome.WRONG_VALUE, "seeded context at fraction 0.5: value " + rh.value() + " but the original gives " + expected + where);
    }
    checkUnbiased(call, args, exact.gradient(), where); // every sampler is unbiased, exact at 1 or not
  }

  /**
   * The mean of {@value #DRAWS} gradients of one seeded context at fraction 0.5 (each call draws
   * new samples) against the exact gradient, per component, within {@value #BIAS_SIGMAS} standard
   * errors plus 1e-8 relative: the sampled sums round differently (seed 42, program 4838: 1.2e-9
   * relative, in a component no sample reaches).
   */
  private void checkUnbiased(Call call, Object[] args, double[] exact, String where) throws Failure {
    RadContext ctx = RadContext.seeded(call.program.seed() ^ 0x5DEECE66DL).withFraction(0.5);
    int n = exact.length;
    double[] sum = new double[n];
    double[] sumSq = new double[n];
    for (int d = 0; d < DRAWS; d++) {
      double[] g = call.gradient(args, ctx, where + " (seeded context, fraction 0.5, draw " + d + ")").gradient();
      for (int k = 0; k < n; k++) {
        sum[k] += g[k];
        sumSq[k] += g[k] * g[k];
      }
    }
    for (int k = 0; k < n; k++) {
      double mean = sum[k] / DRAWS;
      double variance = Math.max(sumSq[k] / DRAWS - mean * mean, 0) * DRAWS / (DRAWS - 1);
      double se = Math.sqrt(variance / DRAWS);
      if (!Double.isFinite(mean) || !Double.isFinite(exact[k])) {
        continue; // overflow in a draw: nothing to compare
      }
      if (Math.abs(mean - exact[k]) > BIAS_SIGMAS * se + 1e-8 * Math.max(1, Math.abs(exact[k]))) {
        throw new Failure(Outcome.BIASED, "the mean of " + DRAWS + " randomized gradients at fraction 0.5, component "
            + call.label(args, k) + ", is " + mean + " (standard error " + se + ") but the exact gradient is "
            + exact[k] + where);
      }
    }
  }

  private int[] compareDifferences(Call call, Object[] args, double[] g, String where) throws Failure {
    double[] x = call.flatten(args);
    double fx = call.primalAt(args, x);
    int checked = 0;
    int skipped = 0;
    for (int k = 0; k < x.length; k++) {
      double[] d = new double[STEPS.length];
      double[] resolution = new double[STEPS.length];
      boolean[] continuous = new boolean[STEPS.length];
      boolean match = false;
      boolean resolvable = false;
      for (int s = 0; s < STEPS.length; s++) {
        double h = STEPS[s] * Math.max(1, Math.abs(x[k]));
        double[] plus = x.clone();
        double[] minus = x.clone();
        plus[k] += h;
        minus[k] -= h;
        double fp = call.primalAt(args, plus);
        double fm = call.primalAt(args, minus);
        d[s] = (fp - fm) / (plus[k] - minus[k]);
        // f's values are rounded: a difference quotient cannot tell derivatives apart that differ
        // by less than a few of their ulps over the step (at |f| = 8e10: 0.3 at h = 1e-4, 300 at
        // 1e-7); a step whose resolution is coarser than a tenth of the derivative shows nothing
        resolution[s] = ROUNDING_ULPS * Math.ulp(Math.max(Math.abs(fp), Math.abs(fm))) / (plus[k] - minus[k]);
        if (!(resolution[s] <= RESOLVABLE * Math.max(1, Math.abs(g[k])))) {
          resolution[s] = Double.NaN; // shows nothing: left out of the comparisons below
          continue;
        }
        resolvable = true;
        // f(x + h) + f(x - h) - 2 f(x) is O(h^2) where f is smooth; a jump (an early exit taken
        // at x alone) shows here even when the two sides' slopes agree
        continuous[s] = Math.abs(fp + fm - 2 * fx) <= CONTINUITY_TOL * Math.max(1, Math.abs(fx));
        if (Math.abs(g[k] - d[s]) <= GRAD_TOL * Math.max(1, Math.max(Math.abs(g[k]), Math.abs(d[s]))) + resolution[s]) {
          match = true;
          break;
        }
      }
      if (match) {
        checked++;
        continue;
      }
      if (!resolvable) {
        skipped++; // f is too large for any step to resolve this component
        continue;
      }
      int agreeing = 0;
      for (int s = 0; s + 1 < STEPS.length; s++) {
        if (Double.isFinite(d[s]) && continuous[s] && continuous[s + 1]
            && Math.abs(d[s] - d[s + 1]) <= SMOOTH_TOL * Math.max(1, Math.abs(d[s])) + resolution[s] + resolution[s + 1]) {
          agreeing++;
        }
      }
      boolean smooth = agreeing >= 2;
      if (!smooth || oscillatesFinerThanTheSteps(call, args, x, k, g[k], where)) {
        skipped++;
        continue;
      }
      throw new Failure(Outcome.WRONG_GRADIENT, "gradient component " + call.label(args, k) + " is " + g[k]
          + " but central differences give " + Arrays.toString(d) + " (steps " + Arrays.toString(STEPS) + ")\n gradient "
          + Arrays.toString(g) + where);
    }
    return new int[] {checked, skipped};
  }

  /**
   * Whether the derivative itself changes by more than the tolerance within the smallest step
   * around x (the gradient at x +- that step, component k): then f varies at a scale finer than
   * every step (sin of a value near 1e10 moves by 1 when the value moves by 1e-9), all the
   * central differences see is its smooth part, and they agreeing says nothing about f'(x).
   */
  private boolean oscillatesFinerThanTheSteps(Call call, Object[] args, double[] x, int k, double gk, String where)
      throws Failure {
    double h = STEPS[STEPS.length - 1] * Math.max(1, Math.abs(x[k]));
    for (double sign : new double[] {1, -1}) {
      double[] moved = x.clone();
      moved[k] += sign * h;
      double other = call.gradient(call.argsAt(args, moved), RadContext.exact(), where).gradient()[k];
      if (!(Math.abs(other - gk) <= GRAD_TOL * Math.max(1, Math.max(Math.abs(other), Math.abs(gk))))) {
        return true;
      }
    }
    return false;
  }

  private static void compareArrays(Object[] expected, Object[] actual, String when, String where) throws Failure {
    for (int k = 0; k < expected.length; k++) {
      if (!sameValues(expected[k], actual[k])) {
        throw new Failure(Outcome.WRONG_ARRAYS, "argument " + k + " " + when + " is " + Arrays.deepToString(new Object[] {actual[k]})
            + " but the original leaves " + Arrays.deepToString(new Object[] {expected[k]}) + where);
      }
    }
  }

  private static boolean sameValues(Object e, Object a) {
    if (e instanceof double[] de && a instanceof double[] da) {
      if (de.length != da.length) {
        return false;
      }
      for (int i = 0; i < de.length; i++) {
        if (!close(da[i], de[i], VALUE_TOL)) {
          return false;
        }
      }
      return true;
    }
    if (e instanceof double[][] me && a instanceof double[][] ma) {
      if (me.length != ma.length) {
        return false;
      }
      for (int i = 0; i < me.length; i++) {
        if (!sameValues(me[i], ma[i])) {
          return false;
        }
      }
      return true;
    }
    return e.equals(a);
  }

  static boolean close(double actual, double expected, double tol) {
    if (Double.isNaN(actual) || Double.isNaN(expected)) {
      return Double.isNaN(actual) && Double.isNaN(expected);
    }
    if (Double.isInfinite(actual) || Double.isInfinite(expected)) {
      return actual == expected;
    }
    return Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected));
  }

  /** Calls of one program's original and generated methods by reflection. */
  static final class Call {
    final Program program;
    final Method primal;
    final Method gradient;
    final int[] wrt;

    Call(Program program, Method primal, Method gradient, int[] wrt) {
      this.program = program;
      this.primal = primal;
      this.gradient = gradient;
      this.wrt = wrt;
    }

    record Result(double value, double[] gradient, Object[] after) {}

    Object[] draw(SplittableRandom r) {
      List<Param> ps = program.params();
      Object[] args = new Object[ps.size()];
      for (int k = 0; k < args.length; k++) {
        args[k] = switch (ps.get(k).type()) {
          case DOUBLE -> r.nextDouble(-1.5, 1.5);
          case INT -> 1 + r.nextInt(3);
          case BOOLEAN -> r.nextBoolean();
          case VECTOR -> r.doubles(program.n(), -1.5, 1.5).toArray();
          case MATRIX -> {
            double[][] m = new double[program.rows()][];
            for (int i = 0; i < m.length; i++) {
              m[i] = r.doubles(program.n(), -1.5, 1.5).toArray();
            }
            yield m;
          }
        };
      }
      return args;
    }

    static Object[] copy(Object[] args) {
      Object[] c = args.clone();
      for (int k = 0; k < c.length; k++) {
        if (c[k] instanceof double[] v) {
          c[k] = v.clone();
        } else if (c[k] instanceof double[][] m) {
          double[][] mc = new double[m.length][];
          for (int i = 0; i < m.length; i++) {
            mc[i] = m[i].clone();
          }
          c[k] = mc;
        }
      }
      return c;
    }

    static String show(Object[] args) {
      return Arrays.deepToString(args);
    }

    double primal(Object[] args) throws InvocationTargetException {
      try {
        return (Double) primal.invoke(null, args);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }

    /** The original's value with the differentiated components replaced by {@code flat}. */
    double primalAt(Object[] args, double[] flat) throws Failure {
      Object[] c = argsAt(args, flat);
      try {
        return primal(c);
      } catch (InvocationTargetException e) {
        throw new Failure(Outcome.INVALID_PROGRAM, "the original method throws " + e.getCause() + " at " + show(c));
      }
    }

    /** A copy of {@code args} with the differentiated components replaced by {@code flat}. */
    Object[] argsAt(Object[] args, double[] flat) {
      Object[] c = copy(args);
      int pos = 0;
      for (int k : wrt) {
        if (c[k] instanceof Double) {
          c[k] = flat[pos++];
        } else if (c[k] instanceof double[] v) {
          System.arraycopy(flat, pos, v, 0, v.length);
          pos += v.length;
        } else {
          for (double[] row : (double[][]) c[k]) {
            System.arraycopy(flat, pos, row, 0, row.length);
            pos += row.length;
          }
        }
      }
      return c;
    }

    double[] flatten(Object[] args) {
      List<Double> out = new ArrayList<>();
      for (int k : wrt) {
        if (args[k] instanceof Double d) {
          out.add(d);
        } else if (args[k] instanceof double[] v) {
          for (double e : v) {
            out.add(e);
          }
        } else {
          for (double[] row : (double[][]) args[k]) {
            for (double e : row) {
              out.add(e);
            }
          }
        }
      }
      return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A component's name: {@code x0}, {@code v1[2]}, {@code m0[1][0]}. */
    String label(Object[] args, int component) {
      int pos = 0;
      for (int k : wrt) {
        String name = program.params().get(k).name();
        if (args[k] instanceof Double) {
          if (pos++ == component) {
            return name;
          }
        } else if (args[k] instanceof double[] v) {
          if (component < pos + v.length) {
            return name + "[" + (component - pos) + "]";
          }
          pos += v.length;
        } else {
          double[][] m = (double[][]) args[k];
          for (int i = 0; i < m.length; i++) {
            if (component < pos + m[i].length) {
              return name + "[" + i + "][" + (component - pos) + "]";
            }
            pos += m[i].length;
          }
        }
      }
      return "#" + component;
    }

    /** The generated gradient on a copy of {@code args} from zero adjoints; the copy as the call leaves it. */
    Result gradient(Object[] args, RadContext ctx, String where) throws Failure {
      Object[] a = copy(args);
      Object[] bars = new Object[wrt.length];
      for (int j = 0; j < wrt.length; j++) {
        Object v = args[wrt[j]];
        if (v instanceof Double) {
          bars[j] = new double[1];
        } else if (v instanceof double[] d) {
          bars[j] = new double[d.length];
        } else {
          double[][] m = (double[][]) v;
          double[][] z = new double[m.length][];
          for (int i = 0; i < m.length; i++) {
            z[i] = new double[m[i].length];
          }
          bars[j] = z;
        }
      }
      Object[] callArgs = new Object[a.length + bars.length + 1];
      System.arraycopy(a, 0, callArgs, 0, a.length);
      System.arraycopy(bars, 0, callArgs, a.length, bars.length);
      callArgs[callArgs.length - 1] = ctx;
      double value;
      try {
        value = (Double) gradient.invoke(null, callArgs);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      } catch (InvocationTargetException e) {
        throw new Failure(Outcome.CRASH, "the generated method throws " + describe(e.getCause()) + where);
      }
      Object[] asArgs = copy(args);
      for (int j = 0; j < wrt.length; j++) {
        asArgs[wrt[j]] = args[wrt[j]] instanceof Double ? (Object) ((double[]) bars[j])[0] : bars[j];
      }
      return new Result(value, flatten(asArgs), a);
    }

    private static String describe(Throwable t) {
      StringBuilder s = new StringBuilder(String.valueOf(t));
      StackTraceElement[] st = t.getStackTrace();
      for (int k = 0; k < Math.min(4, st.length); k++) {
        s.append("\n    at ").append(st[k]);
      }
      return s.toString();
    }
  }
}
