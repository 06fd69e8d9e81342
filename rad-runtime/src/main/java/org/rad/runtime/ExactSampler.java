package org.rad.runtime;

/** Records every entry of the array exactly: the exact context, and any sampler at fraction 1. */
final class ExactSampler implements ArraySampler {
  static final ExactSampler INSTANCE = new ExactSampler();

  private ExactSampler() {}

  @Override
  public void record(DoubleTape tape, long seed, int site, double fraction, double[] values, long key) {
    tape.pushAll(values, 0, values.length);
  }

  @Override
  public void restore(DoubleTape tape, long seed, int site, double fraction, double[] out, long key) {
    tape.popAll(out, 0, out.length);
  }
}
