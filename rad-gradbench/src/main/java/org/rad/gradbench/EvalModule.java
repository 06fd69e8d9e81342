package org.rad.gradbench;

import java.util.Map;

/** An eval's module as the tool implements it: its functions by name. */
public interface EvalModule {

  /** The module name the eval's {@code define} message carries ({@code "lse"}, ...). */
  String name();

  /** The functions the eval may ask for, by the name its {@code evaluate} messages carry. */
  Map<String, EvalFunction> functions();

  /**
   * Runs the module's functions on small made-up inputs until the JIT has compiled them, so the
   * first timed evaluate does not measure the interpreter. GradBench allows work in
   * {@code define}; the time spent is reported as a {@code "warmup"} timing.
   */
  void warmUp();
}
