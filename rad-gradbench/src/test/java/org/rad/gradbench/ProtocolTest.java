package org.rad.gradbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

/** The protocol with canned messages, as GradBench's eval would send them (no Python needed). */
class ProtocolTest {

  private final Protocol protocol = new Protocol(GradBenchTool.modules(), false);

  private JsonObject send(String message) {
    return JsonParser.parseString(protocol.handle(message)).getAsJsonObject();
  }

  private static int count(JsonArray timings, String name) {
    int n = 0;
    for (JsonElement t : timings) {
      if (t.getAsJsonObject().get("name").getAsString().equals(name)) {
        assertTrue(t.getAsJsonObject().get("nanoseconds").getAsJsonPrimitive().isNumber());
        n++;
      }
    }
    return n;
  }

  @Test
  void startAnswersWithTheIdAndTheToolName() {
    JsonObject r = send("{\"id\":0,\"kind\":\"start\",\"eval\":\"lse\",\"config\":{}}");
    assertEquals(0, r.get("id").getAsInt());
    assertEquals("rad", r.get("tool").getAsString());
  }

  @Test
  void defineOfAKnownModuleSucceeds() {
    for (String module : new String[] {"hello", "lse", "llsq", "det", "ode", "gmm", "lstm"}) {
      JsonObject r = send("{\"id\":1,\"kind\":\"define\",\"module\":\"" + module + "\"}");
      assertEquals(1, r.get("id").getAsInt());
      assertTrue(r.get("success").getAsBoolean(), module);
    }
  }

  @Test
  void defineOfAnUnknownModuleFailsWithAMessage() {
    JsonObject r = send("{\"id\":1,\"kind\":\"define\",\"module\":\"ba\"}");
    assertFalse(r.get("success").getAsBoolean());
    assertTrue(r.get("error").getAsString().contains("ba"), r.toString());
  }

  @Test
  void evaluateRunsMinRunsTimesAndReportsOneTimingPerRun() {
    JsonObject r = send("{\"id\":2,\"kind\":\"evaluate\",\"module\":\"lse\",\"function\":\"gradient\","
        + "\"input\":{\"x\":[1.0,2.0,3.0],\"min_runs\":7,\"min_seconds\":0},\"description\":\"n=3\"}");
    assertEquals(2, r.get("id").getAsInt());
    assertTrue(r.get("success").getAsBoolean(), r.toString());
    assertEquals(7, count(r.getAsJsonArray("timings"), "evaluate"));
    assertEquals(1, count(r.getAsJsonArray("timings"), "prepare"));
    // the gradient of log-sum-exp is the softmax
    double z = Math.exp(1) + Math.exp(2) + Math.exp(3);
    JsonArray g = r.getAsJsonArray("output");
    for (int i = 0; i < 3; i++) {
      assertEquals(Math.exp(i + 1) / z, g.get(i).getAsDouble(), 1e-14);
    }
  }

  @Test
  void evaluateRunsUntilMinSecondsHavePassed() {
    JsonObject r = send("{\"id\":3,\"kind\":\"evaluate\",\"module\":\"llsq\",\"function\":\"primal\","
        + "\"input\":{\"x\":[0.5,0.25],\"n\":64,\"min_runs\":1,\"min_seconds\":0.05}}");
    assertTrue(r.get("success").getAsBoolean(), r.toString());
    long total = 0;
    int runs = 0;
    for (JsonElement t : r.getAsJsonArray("timings")) {
      if (t.getAsJsonObject().get("name").getAsString().equals("evaluate")) {
        total += t.getAsJsonObject().get("nanoseconds").getAsLong();
        runs++;
      }
    }
    assertTrue(total >= 50_000_000L, "runs add up to " + total + " ns");
    assertTrue(runs > 1, "a function of microseconds ran " + runs + " times in 50 ms");
  }

  @Test
  void helloTakesAPlainNumberAndRunsOnce() {
    JsonObject square = send("{\"id\":4,\"kind\":\"evaluate\",\"module\":\"hello\",\"function\":\"square\",\"input\":3.0}");
    JsonObject twice = send("{\"id\":5,\"kind\":\"evaluate\",\"module\":\"hello\",\"function\":\"double\",\"input\":3.0}");
    assertEquals(9.0, square.get("output").getAsDouble());
    assertEquals(6.0, twice.get("output").getAsDouble());
    assertEquals(1, count(twice.getAsJsonArray("timings"), "evaluate"));
  }

  @Test
  void unknownFunctionOrModuleFailsWithAMessage() {
    JsonObject f = send("{\"id\":6,\"kind\":\"evaluate\",\"module\":\"lse\",\"function\":\"hessian\",\"input\":{\"x\":[1]}}");
    assertFalse(f.get("success").getAsBoolean());
    assertTrue(f.get("error").getAsString().contains("hessian"));
    assertFalse(f.has("output"));
    JsonObject m = send("{\"id\":7,\"kind\":\"evaluate\",\"module\":\"kmeans\",\"function\":\"cost\",\"input\":{}}");
    assertFalse(m.get("success").getAsBoolean());
    assertEquals(7, m.get("id").getAsInt());
  }

  @Test
  void malformedInputFailsWithAMessageInsteadOfACrash() {
    JsonObject r = send("{\"id\":8,\"kind\":\"evaluate\",\"module\":\"gmm\",\"function\":\"objective\",\"input\":{\"d\":2}}");
    assertFalse(r.get("success").getAsBoolean());
    assertTrue(r.get("error").getAsString().contains("alpha"), r.toString());
    JsonObject s = send("{\"id\":9,\"kind\":\"evaluate\",\"module\":\"lse\",\"function\":\"primal\",\"input\":{\"x\":[]}}");
    assertFalse(s.get("success").getAsBoolean(), s.toString());
  }

  @Test
  void analysisIsAcknowledgedWithTheIdAlone() {
    JsonObject r = send("{\"id\":10,\"kind\":\"analysis\",\"of\":2,\"valid\":false,\"error\":\"x\"}");
    assertEquals(1, r.size());
    assertEquals(10, r.get("id").getAsInt());
  }

  @Test
  void aLineThatIsNoMessageGetsAnErrorLine() {
    assertTrue(send("not json {").has("error"));
    assertTrue(send("[1, 2]").has("error"));
  }

  @Test
  void runsDefaultToOneForInputsWithoutRunFields() {
    assertEquals(new Runs(1, 0), Runs.of(JsonParser.parseString("2.0")));
    assertEquals(new Runs(3, 0.5),
        Runs.of(JsonParser.parseString("{\"min_runs\":3,\"min_seconds\":0.5}")));
    assertEquals(4, new Runs(4, 0).repeat(() -> { }).length);
  }
}
