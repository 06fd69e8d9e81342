package org.rad.processor.ir;

/**
 * The kinds of method the processor generates for a method {@code f} of the user's class, and
 * how each is named: {@code fForward}, {@code fReverse}, ... The passes build and recognize the
 * names of generated methods only through this enum, so a kind is named in one place.
 */
public enum Sweep {
  /** The forward sweep: the method's value, recording what the reverse sweep needs. */
  FORWARD("Forward"),
  /** The reverse sweep: takes the records back and adds the adjoints. */
  REVERSE("Reverse"),
  /** The method as it is, without records: a call that carries no derivative, and recomputations. */
  PRIMAL("Primal"),
  /** {@link #PRIMAL}, keeping the intermediates {@link #REVERSE_KEPT} takes back. */
  PRIMAL_KEEP("PrimalKeep"),
  /** {@link #REVERSE}, with the intermediates {@link #PRIMAL_KEEP} kept instead of recomputing them. */
  REVERSE_KEPT("ReverseKept"),
  /** {@link #FORWARD} with its parallel loops as GPU kernels. */
  FORWARD_CUDA("ForwardCuda"),
  /** {@link #REVERSE} with its parallel loops as GPU kernels. */
  REVERSE_CUDA("ReverseCuda"),
  /** The gradient entry point's GPU path ({@code fCuda}), taking the GPU session. */
  ENTRY_CUDA("Cuda");

  private final String suffix;

  Sweep(String suffix) {
    this.suffix = suffix;
  }

  /** The name of this kind of method generated for {@code base}: {@code fReverse} for {@code f}. */
  public String of(String base) {
    return base + suffix;
  }

  /** Whether {@code method} is named as this kind of method (of some base). */
  public boolean names(String method) {
    return method.endsWith(suffix);
  }

  /** The base name of {@code method}, a method of this kind: {@code f} for {@code fReverse}. */
  public String baseOf(String method) {
    if (!names(method)) {
      throw new IllegalArgumentException(method + " is not a " + this + " method");
    }
    return method.substring(0, method.length() - suffix.length());
  }

  /** The word for error messages: {@code forward}, {@code reverse}, ... */
  public String word() {
    return suffix.toLowerCase(java.util.Locale.ROOT);
  }
}
