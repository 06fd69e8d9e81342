package org.rad.processor.analysis;

import java.util.BitSet;

/**
 * What a caller needs to know about a callee without looking inside: which array parameters it
 * writes into, which its result may be, and whether it runs without loops (it and what it calls),
 * so that re-running it in a reverse sweep is cheap.
 */
public record MethodSummary(BitSet writesParam, BitSet returnsParam, boolean loopFree) {
  /** A summary of a method that has loops (or is not known to have none). */
  public MethodSummary(BitSet writesParam, BitSet returnsParam) {
    this(writesParam, returnsParam, false);
  }

  public boolean writesParam(int i) {
    return writesParam.get(i);
  }

  public boolean mayReturnParam(int i) {
    return returnsParam.get(i);
  }
}
