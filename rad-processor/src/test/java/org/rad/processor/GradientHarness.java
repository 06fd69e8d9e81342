package org.rad.processor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.rad.runtime.RadContext;

/**
 * Checks a generated gradient against the original method, by reflection: the value against the
 * original's, each gradient component against central finite differences, the arrays the method
 * writes into against the original's final values, and accumulation across calls.
 *
 * <p>Arguments are lists in the order of the generated method: for an instance method the receiver
 * comes first (the generated code takes it as {@code self}), then the parameters. {@code wrt} are
 * indices into that list. Arguments are copied afresh for every evaluation (methods may write into
 * arrays).
 */
public final class GradientHarness {
  private final Method primal;
  private final Method gradient;
  private final boolean instance;
  private final int[] wrt;

  /**
   * @param user the user's class
   * @param grad the generated class
   * @param name the method's name
   * @param wrt indices of the differentiated arguments (receiver included), in {@code wrt} order
   */
  public GradientHarness(Class<?> user, Class<?> grad, String name, int... wrt) {
    this.primal = Arrays.stream(user.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no method " + name));
    this.primal.setAccessible(true);
    this.instance = !Modifier.isStatic(primal.getModifiers());
    int arity = primal.getParameterCount() + (instance ? 1 : 0) + wrt.length + 1;
    this.gradient = Arrays.stream(grad.getDeclaredMethods())
        .filter(m -> m.getName().equals(name) && m.getParameterCount() == arity).findFirst()
        .orElseThrow(() -> new AssertionError("no gradient method " + name + " with " + arity + " parameters"));
    this.wrt = wrt;
  }

  String name() {
    return primal.getName();
  }

  static Object deepCopy(Object a) {
    if (a instanceof org.ejml.data.DMatrixRMaj m) {
      return m.copy();
    }
    if (a instanceof double[] d) {
      return d.clone();
    }
    if (a instanceof int[] i) {
      return i.clone();
    }
    if (a instanceof double[][] m) {
      double[][] c = new double[m.length][];
      for (int k = 0; k < m.length; k++) {
        c[k] = m[k] == null ? null : m[k].clone();
      }
      return c;
    }
    if (a instanceof double[][][] t) {
      double[][][] c = new double[t.length][][];
      for (int k = 0; k < t.length; k++) {
        c[k] = t[k] == null ? null : (double[][]) deepCopy(t[k]);
      }
      return c;
    }
    return a;
  }

  /** The rows of a {@code double[][]} or {@code double[][][]} (slice by slice), in order. */
  private static java.util.List<double[]> rows(Object nested) {
    java.util.List<double[]> out = new java.util.ArrayList<>();
    for (Object inner : (Object[]) nested) {
      if (inner instanceof double[] row) {
        out.add(row);
      } else {
        out.addAll(rows(inner));
      }
    }
    return out;
  }

  static Object[] copyArgs(Object[] args) {
    Object[] c = new Object[args.length];
    for (int k = 0; k < args.length; k++) {
      c[k] = deepCopy(args[k]);
    }
    return c;
  }

  /** Runs the original method on {@code args} (not copied: it may write into them). */
  private double invokePrimal(Object[] args) {
    try {
      Object receiver = instance ? args[0] : null;
      Object[] params = instance ? Arrays.copyOfRange(args, 1, args.length) : args;
      return (Double) primal.invoke(receiver, params);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e.getCause() == null ? e : e.getCause());
    }
  }

  /** The original method's value at {@code args}. */
  public double value(Object[] args) {
    return invokePrimal(copyArgs(args));
  }

  /** The flattened values of the differentiated arguments. */
  double[] flatten(Object[] args) {
    double[] out = new double[size(args)];
    int pos = 0;
    for (int k : wrt) {
      Object a = args[k];
      if (a instanceof org.ejml.data.DMatrixRMaj m) {
        a = m.data; // row-major, exactly numRows * numCols entries
      }
      if (a instanceof Double d) {
        out[pos++] = d;
      } else if (a instanceof double[] v) {
        System.arraycopy(v, 0, out, pos, v.length);
        pos += v.length;
      } else {
        for (double[] row : rows(a)) {
          System.arraycopy(row, 0, out, pos, row.length);
          pos += row.length;
        }
      }
    }
    return out;
  }

  private int size(Object[] args) {
    int n = 0;
    for (int k : wrt) {
      Object a = args[k];
      if (a instanceof org.ejml.data.DMatrixRMaj m) {
        a = m.data;
      }
      if (a instanceof Double) {
        n++;
      } else if (a instanceof double[] v) {
        n += v.length;
      } else {
        for (double[] row : rows(a)) {
          n += row.length;
        }
      }
    }
    return n;
  }

  /** {@code args} with the differentiated values replaced by {@code flat}. */
  Object[] with(Object[] args, double[] flat) {
    Object[] c = copyArgs(args);
    int pos = 0;
    for (int k : wrt) {
      if (c[k] instanceof Double) {
        c[k] = flat[pos++];
      } else if (c[k] instanceof org.ejml.data.DMatrixRMaj m) {
        System.arraycopy(flat, pos, m.data, 0, m.data.length);
        pos += m.data.length;
      } else if (c[k] instanceof double[] v) {
        System.arraycopy(flat, pos, v, 0, v.length);
        pos += v.length;
      } else {
        for (double[] row : rows(c[k])) {
          System.arraycopy(flat, pos, row, 0, row.length);
          pos += row.length;
        }
      }
    }
    return c;
  }

  /** Fresh adjoint arguments for {@code args}: zeros of each differentiated argument's shape. */
  Object[] zeroAdjoints(Object[] args) {
    Object[] bars = new Object[wrt.length];
    for (int j = 0; j < wrt.length; j++) {
      Object a = args[wrt[j]];
      bars[j] = a instanceof Double ? new double[1] : zerosLike(a);
    }
    return bars;
  }

  /**
   * Calls the generated gradient method once on a copy of {@code args}, adding into {@code bars}.
   * Returns the value and the copy of the arguments as the call left them.
   */
  public Result call(Object[] args, Object[] bars, RadContext ctx) {
    Object[] call = new Object[gradient.getParameterCount()];
    Object[] primalArgs = copyArgs(args);
    System.arraycopy(primalArgs, 0, call, 0, args.length);
    System.arraycopy(bars, 0, call, args.length, bars.length);
    call[call.length - 1] = ctx;
    double value;
    try {
      value = (Double) gradient.invoke(null, call);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e.getCause() == null ? e : e.getCause());
    }
    return new Result(value, flattenAdjoints(args, bars), primalArgs);
  }

  /** The generated value and gradient (flattened), computed with {@code ctx} from zero adjoints. */
  public Result gradient(Object[] args, RadContext ctx) {
    return call(args, zeroAdjoints(args), ctx);
  }

  /** The generated gradient at {@code args} with a fresh exact context. */
  public double[] gradient(Object... args) {
    return gradient(args, RadContext.exact()).gradient();
  }

  private double[] flattenAdjoints(Object[] args, Object[] bars) {
    Object[] asArgs = copyArgs(args);
    for (int j = 0; j < wrt.length; j++) {
      asArgs[wrt[j]] = bars[j] instanceof double[] b && args[wrt[j]] instanceof Double ? (Object) b[0] : deepCopy(bars[j]);
    }
    return flatten(asArgs);
  }

  public record Result(double value, double[] gradient, Object[] argumentsAfter) {}

  private static Object zerosLike(Object a) {
    if (a instanceof org.ejml.data.DMatrixRMaj m) {
      return new org.ejml.data.DMatrixRMaj(m.numRows, m.numCols);
    }
    if (a instanceof double[] v) {
      return new double[v.length];
    }
    if (a instanceof double[][][] t) {
      double[][][] z = new double[t.length][][];
      for (int k = 0; k < t.length; k++) {
        z[k] = (double[][]) zerosLike(t[k]);
      }
      return z;
    }
    double[][] m = (double[][]) a;
    double[][] z = new double[m.length][];
    for (int k = 0; k < m.length; k++) {
      z[k] = new double[m[k].length];
    }
    return z;
  }

  /** Central differences of the original method in every differentiated component. */
  public double[] finiteDifferences(Object[] args, double h) {
    double[] x = flatten(args);
    double[] g = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      double[] plus = x.clone();
      double[] minus = x.clone();
      plus[k] += h;
      minus[k] -= h;
      g[k] = (value(with(args, plus)) - value(with(args, minus))) / (plus[k] - minus[k]);
    }
    return g;
  }

  /**
   * Asserts, at {@code points} argument lists drawn by {@code draw} from a seeded generator:
   *
   * <ul>
   *   <li>the value equals the original method's (relative 1e-12);
   *   <li>each gradient component matches central differences with step {@code h}:
   *       {@code |g - fd| <= tol * max(1, |g|, |fd|)};
   *   <li>every array argument holds, after the gradient call, what the original method left in it;
   *   <li>at the first point, a second call with the same context and adjoint arguments doubles
   *       them (relative 1e-12) (gradients accumulate, and a context is reusable).
   * </ul>
   */
  public void check(Function<SplittableRandom, Object[]> draw, int points, double h, double tol) {
    SplittableRandom random = new SplittableRandom(42);
    for (int p = 0; p < points; p++) {
      Object[] args = draw.apply(random);
      RadContext ctx = RadContext.exact();
      Object[] bars = zeroAdjoints(args);
      Result r = call(args, bars, ctx);
      Object[] primalArgs = copyArgs(args);
      double expected = invokePrimal(primalArgs);
      if (!(Math.abs(r.value() - expected) <= 1e-12 * Math.max(1, Math.abs(expected)))
          && !(Double.isNaN(expected) && Double.isNaN(r.value()))) {
        throw new AssertionError(name() + ": value " + r.value() + " but the original method gives " + expected);
      }
      assertSameArguments(primalArgs, r.argumentsAfter(), p);
      double[] fd = finiteDifferences(args, h);
      assertClose("central differences", r.gradient(), fd, tol, p);
      if (p == 0) {
        Result again = call(args, bars, ctx);
        double[] doubled = new double[r.gradient().length];
        for (int k = 0; k < doubled.length; k++) {
          doubled[k] = 2 * r.gradient()[k];
        }
        if (!close(again.gradient(), doubled, 1e-12)) {
          throw new AssertionError(name() + ": a second call should add the same gradient again\n first "
              + Arrays.toString(r.gradient()) + "\n after the second " + Arrays.toString(again.gradient()));
        }
      }
    }
  }

  private static boolean close(double[] a, double[] b, double tol) {
    for (int k = 0; k < a.length; k++) {
      if (!(Math.abs(a[k] - b[k]) <= tol * Math.max(1, Math.abs(b[k])))) {
        return false;
      }
    }
    return true;
  }

  /** Asserts that the generated gradient at {@code args} is {@code expected} (relative {@code tol}). */
  public void checkClosedForm(Object[] args, double[] expected, double tol) {
    assertClose("the closed form", gradient(args), expected, tol, 0);
  }

  private void assertClose(String what, double[] g, double[] expected, double tol, int point) {
    for (int k = 0; k < expected.length; k++) {
      double scale = Math.max(1, Math.max(Math.abs(g[k]), Math.abs(expected[k])));
      if (!(Math.abs(g[k] - expected[k]) <= tol * scale)) {
        throw new AssertionError(name() + " at point " + point + ": gradient component " + k + " is " + g[k]
            + " but " + what + " gives " + expected[k] + "\n gradient " + Arrays.toString(g)
            + "\n " + what + " " + Arrays.toString(expected));
      }
    }
  }

  private void assertSameArguments(Object[] expected, Object[] actual, int point) {
    for (int k = 0; k < expected.length; k++) {
      Object e = expected[k] instanceof org.ejml.data.DMatrixRMaj m ? m.data : expected[k];
      Object a = actual[k] instanceof org.ejml.data.DMatrixRMaj m ? m.data : actual[k];
      if (!Arrays.deepEquals(new Object[] {e}, new Object[] {a})) {
        throw new AssertionError(name() + " at point " + point + ": argument " + k
            + " after the gradient call differs from what the original method left in it:\n expected "
            + Arrays.deepToString(new Object[] {expected[k]}) + "\n actual   " + Arrays.deepToString(new Object[] {actual[k]}));
      }
    }
  }
}
