package org.rad.processor;

import static org.rad.processor.GradientCase.of;
import static org.rad.processor.GradientCase.vector;

import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bitwise operators and shifts on ints and longs ({@code &}, {@code |}, {@code ^}, {@code ~},
 * {@code <<}, {@code >>}, {@code >>>} and their compound assignments, also {@code %=}), and
 * {@code &}, {@code |}, {@code ^} on booleans: a binary search's {@code (lo + hi) >>> 1}, a hash
 * in a helper called with constants, a hashed mask. They carry no derivative; the values they
 * compute steer the ones that do. Gradients against central differences (the CUDA kernels'
 * shifts, taken mod 32 or 64 as in Java, are compiled by CudaKernelsTest).
 */
class BitwiseOperatorsTest {
  static final String SOURCE = """
      package demo;
      import org.rad.annotations.Differentiable;
      public class Bits {
        static int mix(int i) {
          i ^= (i >>> 3);
          i *= 0x45d9f3b;
          i ^= i >>> 16;
          return i & 0x7fffffff;
        }

        // binary search for the interval, then linear interpolation
        @Differentiable(wrt = {"y", "q"})
        static double interp(double[] xs, double[] y, double q) {
          int lo = 0;
          int hi = xs.length - 1;
          while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (xs[mid] <= q) {
              lo = mid;
            } else {
              hi = mid;
            }
          }
          double t = (q - xs[lo]) / (xs[hi] - xs[lo]);
          return y[lo] * (1 - t) + y[hi] * t;
        }

        // a hashed mask on the weights: xorshift on a long, boolean & | ^, compound shifts
        @Differentiable(wrt = "w")
        static double masked(double[] w, long seed) {
          double s = 0;
          long h = seed;
          for (int i = 0; i < w.length; i++) {
            h ^= h << 13;
            h ^= h >> 7;
            h ^= h << 17;
            int m = mix(i) % 7;
            boolean keep = ((h & 3L) != 0) | (m == 3);
            boolean odd = (i & 1) == 1 ^ (m > 4);
            int shifted = (~i) & 0xff;
            shifted <<= 2;
            shifted >>= 1;
            shifted >>>= 1;
            shifted %= 11;
            keep &= h != 0;
            if (keep & !odd) {
              s += w[i] * w[i] * (1 + shifted);
            } else {
              s += Math.sin(w[i]) * (m | 1);
            }
          }
          return s;
        }
      }
      """;

  static Class<?> user;
  static Class<?> grad;

  @BeforeAll
  static void compile() {
    Compiled c = Compiled.compile("demo.Bits", SOURCE);
    user = c.load("demo.Bits");
    grad = c.load("demo.BitsGrad");
  }

  static Stream<GradientCase> cases() {
    double[] knots = {0, 0.5, 1.2, 2, 3.1, 4};
    return Stream.of(
        of("interp", r -> new Object[] {knots, vector(r, 6, -1, 1), r.nextDouble(0.1, 3.9)}, 1, 2).points(10),
        of("masked", r -> new Object[] {vector(r, 20, -1, 1), r.nextLong()}, 0).points(6));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void gradientMatchesFiniteDifferences(GradientCase c) {
    c.check(user, grad);
  }
}
