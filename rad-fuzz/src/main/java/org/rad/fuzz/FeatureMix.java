package org.rad.fuzz;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which {@link Feature}s the generator may use. Parsed from a comma-separated list: {@code all},
 * feature names ({@code loops,math}), or {@code all} followed by exclusions ({@code all,-swap}).
 */
public record FeatureMix(Set<Feature> enabled) {
  public FeatureMix {
    enabled = enabled.isEmpty() ? EnumSet.noneOf(Feature.class) : EnumSet.copyOf(enabled);
  }

  /** Every feature. */
  public static FeatureMix all() {
    return new FeatureMix(EnumSet.allOf(Feature.class));
  }

  /** Parses {@code all}, {@code all,-swap,-randomize}, or {@code loops,math,if}. */
  public static FeatureMix parse(String spec) {
    EnumSet<Feature> set = EnumSet.noneOf(Feature.class);
    for (String part : spec.split(",")) {
      String p = part.trim().toUpperCase(Locale.ROOT).replace('-', '_');
      if (p.isEmpty()) {
        continue;
      }
      if (p.equals("ALL")) {
        set.addAll(EnumSet.allOf(Feature.class));
      } else if (p.startsWith("_")) {
        set.remove(Feature.valueOf(p.substring(1)));
      } else {
        set.add(Feature.valueOf(p));
      }
    }
    return new FeatureMix(set);
  }

  public boolean has(Feature f) {
    return enabled.contains(f);
  }

  @Override
  public String toString() {
    return enabled.size() == Feature.values().length ? "all" : enabled.toString().toLowerCase(Locale.ROOT);
  }
}
