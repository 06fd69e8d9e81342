package org.rad.gradbench;

import com.google.gson.JsonElement;

/** One function of an eval module ({@code lse::gradient}, ...): reads its input once, runs often. */
@FunctionalInterface
public interface EvalFunction {

  /**
   * Decodes {@code input} (the evaluate message's {@code "input"}) into what the function needs,
   * so that the timed runs do no JSON work.
   *
   * @throws RuntimeException when the input does not have the eval's shape
   */
  Prepared prepare(JsonElement input);

  /** A function bound to its decoded input. */
  interface Prepared {

    /** Runs the function once; this is what the {@code "evaluate"} timings measure. */
    void run();

    /** The output of the last {@link #run()}, as the eval expects it. */
    JsonElement output();

    /** A prepared function from its run and its output. */
    static Prepared of(Runnable run, java.util.function.Supplier<JsonElement> output) {
      return new Prepared() {
        @Override
        public void run() {
          run.run();
        }

        @Override
        public JsonElement output() {
          return output.get();
        }
      };
    }
  }
}
