package org.rad.processor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.rad.runtime.RadContext;

/**
 * Checks a generated gradient against central finite differences of the original method, by
 * reflection. Arguments are built afresh for every evaluation (methods may write into arrays).
 */
final class GradientHarness {
  private final Method primal;
  private final Method gradient;
  private final int[] wrt;

  /**
   * @param user the user's class
   * @param grad the generated class
   * @param name the method's name
   * @param wrt indices of the differentiated parameters, in {@code wrt} order
   */
  GradientHarness(Class<?> user, Class<?> grad, String name, int... wrt) {
    this.primal = Arrays.stream(user.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no method " + name));
    this.primal.setAccessible(true);
    int arity = primal.getParameterCount() + wrt.length + 1;
    this.gradient = Arrays.stream(grad.getDeclaredMethods())
        .filter(m -> m.getName().equals(name) && m.getParameterCount() == arity).findFirst()
        .orElseThrow(() -> new AssertionError("no gradient method " + name + " with " + arity + " parameters"));
    this.wrt = wrt;
  }

  static Object deepCopy(Object a) {
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
    return a;
  }

  static Object[] copyArgs(Object[] args) {
    Object[] c = new Object[args.length];
    for (int k = 0; k < args.length; k++) {
      c[k] = deepCopy(args[k]);
    }
    return c;
  }

  double value(Object[] args) {
    try {
      return (Double) primal.invoke(null, copyArgs(args));
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e.getCause() == null ? e : e.getCause());
    }
  }

  /** The flattened values of the differentiated arguments. */
  double[] flatten(Object[] args) {
    double[] out = new double[size(args)];
    int pos = 0;
    for (int k : wrt) {
      Object a = args[k];
      if (a instanceof Double d) {
        out[pos++] = d;
      } else if (a instanceof double[] v) {
        System.arraycopy(v, 0, out, pos, v.length);
        pos += v.length;
      } else {
        for (double[] row : (double[][]) a) {
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
      if (a instanceof Double) {
        n++;
      } else if (a instanceof double[] v) {
        n += v.length;
      } else {
        for (double[] row : (double[][]) a) {
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

  /** The generated value and gradient (flattened), computed with {@code ctx}. */
  Result gradient(Object[] args, RadContext ctx) {
    Object[] call = new Object[gradient.getParameterCount()];
    Object[] primalArgs = copyArgs(args);
    System.arraycopy(primalArgs, 0, call, 0, args.length);
    Object[] bars = new Object[wrt.length];
    for (int j = 0; j < wrt.length; j++) {
      Object a = args[wrt[j]];
      bars[j] = a instanceof Double ? new double[1] : zerosLike(a);
      call[args.length + j] = bars[j];
    }
    call[call.length - 1] = ctx;
    double value;
    try {
      value = (Double) gradient.invoke(null, call);
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new AssertionError(e.getCause() == null ? e : e.getCause());
    }
    Object[] asArgs = copyArgs(args);
    for (int j = 0; j < wrt.length; j++) {
      asArgs[wrt[j]] = bars[j] instanceof double[] b && args[wrt[j]] instanceof Double ? (Object) b[0] : bars[j];
    }
    return new Result(value, flatten(asArgs), primalArgs);
  }

  record Result(double value, double[] gradient, Object[] argumentsAfter) {}

  private static Object zerosLike(Object a) {
    if (a instanceof double[] v) {
      return new double[v.length];
    }
    double[][] m = (double[][]) a;
    double[][] z = new double[m.length][];
    for (int k = 0; k < m.length; k++) {
      z[k] = new double[m[k].length];
    }
    return z;
  }

  /** Central differences of the original method in every differentiated component. */
  double[] finiteDifferences(Object[] args, double h) {
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
   * Asserts, at {@code points} argument lists drawn by {@code draw}, that the value equals the
   * original method's and each gradient component matches central differences:
   * {@code |g - fd| <= tol * max(1, |g|, |fd|)}.
   */
  void check(Function<SplittableRandom, Object[]> draw, int points, double h, double tol) {
    SplittableRandom random = new SplittableRandom(42);
    for (int p = 0; p < points; p++) {
      Object[] args = draw.apply(random);
      Result r = gradient(args, RadContext.exact());
      double expected = value(args);
      if (!(Math.abs(r.value() - expected) <= 1e-12 * Math.max(1, Math.abs(expected))) && !(Double.isNaN(expected) && Double.isNaN(r.value()))) {
        throw new AssertionError(primal.getName() + ": value " + r.value() + " but the original method gives " + expected);
      }
      double[] fd = finiteDifferences(args, h);
      for (int k = 0; k < fd.length; k++) {
        double g = r.gradient()[k];
        double scale = Math.max(1, Math.max(Math.abs(g), Math.abs(fd[k])));
        if (!(Math.abs(g - fd[k]) <= tol * scale)) {
          throw new AssertionError(primal.getName() + " at point " + p + ": gradient component " + k + " is " + g
              + " but central differences give " + fd[k] + "\n gradient " + Arrays.toString(r.gradient())
              + "\n differences " + Arrays.toString(fd));
        }
      }
    }
  }
}
