package org.rad.gradbench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

/** Conversions between GradBench's JSON shapes (numbers, vectors, rows) and Java arrays. */
public final class Json {

  private Json() {}

  /** The member {@code name} of an object input; an error naming it when it is absent. */
  public static JsonElement member(JsonElement input, String name) {
    if (!input.isJsonObject() || !input.getAsJsonObject().has(name)) {
      throw new IllegalArgumentException("input has no field \"" + name + "\"");
    }
    return input.getAsJsonObject().get(name);
  }

  public static double[] vector(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[] v = new double[a.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = a.get(i).getAsDouble();
    }
    return v;
  }

  public static double[][] matrix(JsonElement e) {
    JsonArray a = e.getAsJsonArray();
    double[][] m = new double[a.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = vector(a.get(i));
    }
    return m;
  }

  public static JsonElement of(double x) {
    return new JsonPrimitive(x);
  }

  public static JsonArray of(double[] v) {
    JsonArray a = new JsonArray(v.length);
    for (double x : v) {
      a.add(x);
    }
    return a;
  }

  public static JsonArray of(double[][] m) {
    JsonArray a = new JsonArray(m.length);
    for (double[] row : m) {
      a.add(of(row));
    }
    return a;
  }

  /** A JSON object from alternating names and values. */
  public static JsonObject object(Object... namesAndValues) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      o.add((String) namesAndValues[i], (JsonElement) namesAndValues[i + 1]);
    }
    return o;
  }
}
