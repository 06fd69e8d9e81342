package org.rad.processor.ir;

import java.util.List;

/**
 * A method of the user's class with a user-declared adjoint ({@code @CustomAdjoint}): calls run
 * the method as it is, and the reverse sweep calls {@code adjoint}.
 *
 * @param name the method's name
 * @param adjoint the adjoint method's name
 * @param params the method's parameters
 * @param returnType its return type
 */
public record CustomAdjointMethod(String name, String adjoint, List<Var> params, Type returnType) {}
