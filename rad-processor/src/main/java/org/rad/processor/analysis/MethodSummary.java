package org.rad.processor.analysis;

import java.util.BitSet;

/**
 * What a caller needs to know about a callee without looking inside: which array parameters it
 * writes into (and which it overwrites whole), which of them and which field arrays its result may be, and whether it runs without loops (it and what it calls),
 * so that re-running it in a reverse sweep is cheap.
 */
public record MethodSummary(BitSet writesParam, BitSet returnsParam, boolean loopFree,
    java.util.Set<String> returnsFields, BitSet overwritesParam) {
  /** A summary of a method that has loops (or is not known to have none) and returns no field. */
  public MethodSummary(BitSet writesParam, BitSet returnsParam) {
    this(writesParam, returnsParam, false, java.util.Set.of(), new BitSet());
  }

  /** A summary of a method whose result is none of the class's field arrays. */
  public MethodSummary(BitSet writesParam, BitSet returnsParam, boolean loopFree) {
    this(writesParam, returnsParam, loopFree, java.util.Set.of(), new BitSet());
  }

  /**
   * Whether the method overwrites every element of the array parameter {@code i} on every path
   * through it (a loop over its length at the top of the body): once its reverse sweep has
   * restored what it overwrote, the array is as it was before the call, whatever came after.
   */
  public boolean overwritesParam(int i) {
    return overwritesParam.get(i);
  }

  public boolean writesParam(int i) {
    return writesParam.get(i);
  }

  public boolean mayReturnParam(int i) {
    return returnsParam.get(i);
  }

  /**
   * The field arrays (or their rows) the result may be ({@code return W;}, {@code return M[i];}):
   * a caller that writes through the result writes into a field, which is an error.
   */
  public java.util.Set<String> returnsFields() {
    return returnsFields;
  }
}
