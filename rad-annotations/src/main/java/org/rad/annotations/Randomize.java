package org.rad.annotations;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Asks for randomized automatic differentiation (Oktay et al., ICLR 2021) of a local variable or
 * parameter of a {@link Differentiable} method: the reverse sweep gets an unbiased random sample of
 * the variable's values instead of the values themselves, trading gradient variance for memory.
 *
 * <p><b>Semantics.</b> Every record that the forward sweep takes of the variable for its reverse
 * sweep (the operand a partial derivative needs, or the old value saved at an overwrite) keeps a
 * random sample, scaled so that its expectation is exactly the recorded value. With the default
 * {@link Sampling#BERNOULLI} a record of {@code v} keeps {@code v / fraction} with probability
 * {@code fraction} and otherwise nothing, so the tapes hold about {@code fraction} of what an exact
 * record holds. Derivative terms that are affine in the sampled value stay unbiased; the processor
 * rejects, at compile time, requests that would enter a sampled value non-affinely, into a branch
 * condition, or twice along one chain of the reverse sweep. Values that are not annotated, and
 * branch decisions, are always recorded exactly. An annotation on an array variable covers every
 * array the variable may alias.
 *
 * <p><b>Which values share a sample.</b> Sample decisions are a pure function of the context's
 * seed, the record site and the indices of the loops enclosing the record, drawn from a
 * counter-based random number generator, so the reverse sweep regenerates them rather than
 * storing a mask. By default each iteration of every enclosing loop draws its own sample (the
 * paper's "different sample"). Loop variables named in {@link #sameAcross()} are left out of the
 * draw, so all iterations of those loops share one sample (the paper's "same sample", typically
 * across the elements of a mini-batch).
 *
 * <p>A context created with {@code RadContext.exact()} runs the same generated code with sampling
 * off; {@code RadContext.seeded(seed)} samples, drawing fresh samples on every gradient call,
 * reproducibly from the seed.
 *
 * <pre>
 * &#64;Differentiable
 * static double loss(double[] w, double[] x) {
 *   double sum = 0;
 *   for (int b = 0; b &lt; x.length; b++) {
 *     &#64;Randomize(fraction = 0.1, sameAcross = "b")
 *     double h = Math.tanh(w[0] * x[b]);
 *     sum += w[1] * h; // d sum / d w[1] = h: affine in the sampled h
 *   }
 *   return sum;
 * }
 * </pre>
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.LOCAL_VARIABLE, ElementType.PARAMETER})
public @interface Randomize {
  /**
   * For a {@code double[][]} recorded whole (a mini-batch of activations, one row per example),
   * {@code sameAcross = Randomize.ROWS} shares one sample across its rows: the paper's "same
   * sample" across mini-batch elements.
   */
  String ROWS = "#rows";

  /**
   * The fraction {@code f} of the recorded values (or, for whole-array samplers, of the entries of
   * an array record) that the tapes keep, {@code 0 < f <= 1}. 1 means exact records.
   */
  double fraction();

  /** How records are sampled; {@link Sampling#BERNOULLI} unless said otherwise. */
  Sampling sampling() default Sampling.BERNOULLI;

  /**
   * Names of enclosing loop variables whose iterations share one sample ("same sample"), or
   * {@link #ROWS} for the rows of a matrix recorded whole; loops and rows not named here draw a
   * different sample each ("different sample", the default).
   */
  String[] sameAcross() default {};
}
