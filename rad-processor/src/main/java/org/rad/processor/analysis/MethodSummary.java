package org.rad.processor.analysis;

import java.util.BitSet;

/**
 * What a caller needs to know about a callee without looking inside: which array parameters it
 * writes into and which its result may be.
 */
public record MethodSummary(BitSet writesParam, BitSet returnsParam) {
  public boolean writesParam(int i) {
    return writesParam.get(i);
  }

  public boolean mayReturnParam(int i) {
    return returnsParam.get(i);
  }
}
