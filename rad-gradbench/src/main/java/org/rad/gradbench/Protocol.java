package org.rad.gradbench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * GradBench's tool side of the JSON-lines protocol: one message in, one response out, same id.
 *
 * <p>Messages: {@code start} (answered with the tool's name), {@code define} (success when the
 * module is known, after warming it up), {@code evaluate} (runs the function until it has run
 * {@code min_runs} times and the runs add up to {@code min_seconds}, one {@code "evaluate"}
 * timing per run), {@code analysis} (acknowledged). Whatever goes wrong inside a function (an
 * unknown module or function, an input of the wrong shape, an exception) becomes
 * {@code "success": false} with a message: the eval decides what to do with it. Only a line that
 * is not a JSON object with an id is answered with an error line without id, since there is no
 * id to answer.
 */
public final class Protocol {

  /** The name this tool gives itself in the {@code start} response. */
  public static final String TOOL_NAME = "rad";

  private final Map<String, EvalModule> modules = new LinkedHashMap<>();
  private final Gson gson = new GsonBuilder().serializeSpecialFloatingPointValues().create();
  private final boolean warmUp;

  /**
   * @param modules the modules this tool implements
   * @param warmUp whether {@code define} warms a module up (tests switch it off)
   */
  public Protocol(Iterable<EvalModule> modules, boolean warmUp) {
    for (EvalModule m : modules) {
      this.modules.put(m.name(), m);
    }
    this.warmUp = warmUp;
  }

  /** The response line to one message line. */
  public String handle(String line) {
    JsonObject message;
    try {
      JsonElement parsed = JsonParser.parseString(line);
      if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("id")) {
        return gson.toJson(Json.object("error",
            new JsonPrimitive("not a message object with an id: " + line)));
      }
      message = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return gson.toJson(Json.object("error",
          new JsonPrimitive("not JSON: " + e.getMessage())));
    }
    return gson.toJson(respond(message));
  }

  private JsonObject respond(JsonObject message) {
    JsonObject response = new JsonObject();
    response.add("id", message.get("id"));
    String kind = message.has("kind") ? message.get("kind").getAsString() : "";
    switch (kind) {
      case "start" -> response.addProperty("tool", TOOL_NAME);
      case "define" -> define(message, response);
      case "evaluate" -> evaluate(message, response);
      default -> { } // analysis and any later kind: acknowledged with the id alone
    }
    return response;
  }

  private void define(JsonObject message, JsonObject response) {
    String name = string(message, "module");
    EvalModule module = modules.get(name);
    if (module == null) {
      fail(response, "rad has no module \"" + name + "\" (it has " + modules.keySet() + ")");
      return;
    }
    JsonArray timings = new JsonArray();
    if (warmUp) {
      long start = System.nanoTime();
      try {
        warmUp(module);
      } catch (RuntimeException | StackOverflowError e) {
        fail(response, "warming up " + name + " failed: " + e);
        return;
      }
      timings.add(timing("warmup", System.nanoTime() - start));
    }
    response.addProperty("success", true);
    response.add("timings", timings);
  }

  /**
   * Runs each function of the module on its warm-up input in slices of 50 ms, round after round,
   * for the module's warm-up time: the same {@link Runs#repeat} loop and prepared function that
   * evaluate then times.
   */
  private static void warmUp(EvalModule module) {
    long end = System.nanoTime() + module.warmUpMillis() * 1_000_000;
    Map<String, JsonElement> inputs = module.warmUpInputs();
    do {
      for (Map.Entry<String, JsonElement> e : inputs.entrySet()) {
        EvalFunction.Prepared prepared = module.functions().get(e.getKey()).prepare(e.getValue());
        new Runs(1, 0.05).repeat(prepared::run);
        prepared.output();
      }
    } while (System.nanoTime() < end);
  }

  private void evaluate(JsonObject message, JsonObject response) {
    String moduleName = string(message, "module");
    String functionName = string(message, "function");
    EvalModule module = modules.get(moduleName);
    if (module == null) {
      fail(response, "rad has no module \"" + moduleName + "\"");
      return;
    }
    EvalFunction function = module.functions().get(functionName);
    if (function == null) {
      fail(response, "module " + moduleName + " has no function \"" + functionName
          + "\" (it has " + module.functions().keySet() + ")");
      return;
    }
    JsonElement input = message.has("input") ? message.get("input") : null;
    if (input == null) {
      fail(response, "evaluate message has no input");
      return;
    }
    try {
      Runs runs = Runs.of(input);
      long start = System.nanoTime();
      EvalFunction.Prepared prepared = function.prepare(input);
      JsonArray timings = new JsonArray();
      timings.add(timing("prepare", System.nanoTime() - start));
      for (long ns : runs.repeat(prepared::run)) {
        timings.add(timing("evaluate", ns));
      }
      JsonElement output = prepared.output();
      response.addProperty("success", true);
      response.add("output", output);
      response.add("timings", timings);
    } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
      fail(response, moduleName + "::" + functionName + " failed: " + e);
    }
  }

  private static String string(JsonObject message, String field) {
    JsonElement e = message.get(field);
    return e != null && e.isJsonPrimitive() ? e.getAsString() : "";
  }

  private static void fail(JsonObject response, String error) {
    response.addProperty("success", false);
    response.addProperty("error", error);
  }

  private static JsonObject timing(String name, long nanoseconds) {
    JsonObject t = new JsonObject();
    t.addProperty("name", name);
    t.addProperty("nanoseconds", nanoseconds);
    return t;
  }
}
