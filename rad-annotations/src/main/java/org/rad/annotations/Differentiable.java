package org.rad.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method returning {@code double} whose gradient the rad annotation processor generates at
 * compile time.
 *
 * <p>For a class {@code Foo} the processor writes {@code FooGrad} (for a nested class
 * {@code Outer.Foo}: {@code Outer_FooGrad}) in the same package. For each annotated
 * {@code double f(P1 p1, ..., Pn pn)} it holds
 *
 * <pre>{@code
 * public static double f(P1 p1, ..., Pn pn, A1 w1Bar, ..., Am wmBar, RadContext ctx)
 * public static double f(P1 p1, ..., Pn pn, A1 w1Bar, ..., Am wmBar)
 * }</pre>
 *
 * where an instance method gets the receiver {@code Foo self} as first parameter, and there is one
 * adjoint parameter per differentiated parameter, in {@link #wrt()} order: {@code double} gives
 * {@code double[]} (the derivative is added to element 0), {@code double[]} gives {@code double[]}
 * and {@code double[][]} gives {@code double[][]}. Gradients are accumulated ({@code +=}), so a
 * caller can sum over a mini-batch; the return value is the primal value of {@code f}.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Differentiable {
  /**
   * Names of the parameters to differentiate with respect to, in the order their adjoint arguments
   * appear. Empty (the default) means every parameter of type {@code double}, {@code double[]} or
   * {@code double[][]}, in declaration order.
   */
  String[] wrt() default {};

  /**
   * Where the gradient runs: {@link org.rad.annotations.Target#CPU} (the default) or
   * {@link org.rad.annotations.Target#CUDA}, which adds GPU kernels for the method's data-parallel
   * loops and falls back to the CPU code when no GPU is usable.
   */
  org.rad.annotations.Target target() default org.rad.annotations.Target.CPU;
}
