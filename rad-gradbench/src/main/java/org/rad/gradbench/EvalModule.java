package org.rad.gradbench;

import com.google.gson.JsonElement;
import java.util.Map;

/** An eval's module as the tool implements it: its functions by name. */
public interface EvalModule {

  /** The module name the eval's {@code define} message carries ({@code "lse"}, ...). */
  String name();

  /** The functions the eval may ask for, by the name its {@code evaluate} messages carry. */
  Map<String, EvalFunction> functions();

  /**
   * Made-up inputs, in the eval's JSON shape, for the functions to warm up on: {@code define}
   * runs each function on its input, through the same prepare-and-run path evaluate times, until
   * the JIT has compiled it, so the first timed evaluate does not measure the interpreter.
   * GradBench allows work in {@code define}.
   */
  Map<String, JsonElement> warmUpInputs();

  /** How long {@code define} warms the module up, in milliseconds. */
  default long warmUpMillis() {
    return 2000;
  }
}
