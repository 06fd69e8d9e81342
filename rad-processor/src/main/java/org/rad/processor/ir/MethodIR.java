package org.rad.processor.ir;

import java.util.List;

/**
 * One method of the user's class in IR form.
 *
 * @param name the method's name
 * @param isStatic whether the method is static (else the generated code takes {@code self})
 * @param params the parameters, in order
 * @param returnType the return type
 * @param body the body; locals have unique names within the method
 * @param locals every local the body declares (unique names), in declaration order
 * @param wrt for a {@code @Differentiable} method the parameters to differentiate, else empty
 * @param entry whether the method carries {@code @Differentiable}
 * @param origin the method declaration
 * @param randomized the {@code @Randomize} requests on its parameters and locals, by IR name
 */
public record MethodIR(
    String name,
    boolean isStatic,
    List<Var> params,
    Type returnType,
    Stmt.Block body,
    List<Var> locals,
    List<Var> wrt,
    boolean entry,
    Origin origin,
    java.util.Map<String, RandomizeSpec> randomized) {

  public MethodIR withBody(Stmt.Block newBody, List<Var> newLocals) {
    return new MethodIR(name, isStatic, params, returnType, newBody, newLocals, wrt, entry, origin, randomized);
  }

  /** This method with {@code newBody}, which declares {@code added} besides its {@link #locals}. */
  public MethodIR withBodyAdding(Stmt.Block newBody, List<Var> added) {
    List<Var> all = new java.util.ArrayList<>(locals);
    all.addAll(added);
    return withBody(newBody, all);
  }
}
