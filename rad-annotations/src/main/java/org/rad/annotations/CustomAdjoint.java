package org.rad.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the adjoint of a static method whose body the processor should not differentiate (a
 * library call, a fused kernel, code outside the supported subset). Calls of the method from
 * {@code @Differentiable} code run it as it is in the forward sweep, and call the named adjoint in
 * the reverse sweep.
 *
 * <p>For {@code static R f(P1 p1, ..., Pn pn)}, the adjoint is a static method of the same class
 *
 * <pre>{@code
 * static void adjoint(P1 p1, ..., Pn pn, A1 p1Bar, ..., Ak pkBar, B resultBar)
 * }</pre>
 *
 * with one adjoint parameter per parameter of type {@code double} ({@code double[]}: add the
 * derivative to element 0), {@code double[]} ({@code double[]}) or {@code double[][]}
 * ({@code double[][]}), in order, and {@code resultBar} of the result's type when {@code R} is
 * one of those. It must add ({@code +=}) the vector-Jacobian product into the adjoint arguments.
 * The processor checks this signature at compile time. The method itself must not modify its array
 * arguments.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface CustomAdjoint {
  /** The name of the adjoint method in the same class. */
  String value();
}
