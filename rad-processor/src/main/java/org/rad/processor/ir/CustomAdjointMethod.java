package org.rad.processor.ir;

import java.util.List;

/**
 * A method whose body the processor does not differentiate, with a known adjoint: a method of the
 * user's class with a user-declared adjoint ({@code @CustomAdjoint}), or an EJML operation of the
 * built-in rule table. Calls run the method as it is, and the reverse sweep calls {@code adjoint}.
 *
 * @param name the method's name
 * @param adjoint the adjoint method's name
 * @param params the method's parameters
 * @param returnType its return type
 * @param owner the qualified class of the method and its adjoint, or null for the user's class
 * @param adjointOwner the qualified class of the adjoint, or null for the user's class
 * @param written the indices of the (matrix) parameters the method overwrites or updates
 * @param distinct the indices of the inputs that must be other matrices than the written ones
 * @param reads the indices of the array parameters whose contents the adjoint reads (so the
 *     reverse sweep must have them as they were after the call)
 * @param nonlinearReads those of {@code reads} that the adjoint uses non-affinely ({@code 1 / b}),
 *     so they must not be sampled records
 */
public record CustomAdjointMethod(String name, String adjoint, List<Var> params, Type returnType, String owner,
    String adjointOwner, List<Integer> written, List<Integer> distinct, List<Integer> reads,
    List<Integer> nonlinearReads) {

  /** A user-declared adjoint: both methods in the user's class, no argument written, all read. */
  public CustomAdjointMethod(String name, String adjoint, List<Var> params, Type returnType) {
    this(name, adjoint, params, returnType, null, null, List.of(), List.of(),
        java.util.stream.IntStream.range(0, params.size()).boxed().toList(), List.of());
  }

  /** Whether this is a rule of the built-in table rather than a user's declaration. */
  public boolean isRule() {
    return owner != null;
  }

  /** The base name of its generated helpers: {@code ejmlMult} for a rule, the method's name otherwise. */
  public String helperName() {
    return isRule() ? "ejml" + Character.toUpperCase(name.charAt(0)) + name.substring(1) : name;
  }
}
