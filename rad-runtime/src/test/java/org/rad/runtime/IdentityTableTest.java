package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link IdentityTable} against {@link IdentityHashMap}, by identity, small and grown large. */
class IdentityTableTest {
  @Test
  void behavesAsAnIdentityHashMapThroughRandomOperations() {
    SplittableRandom random = new SplittableRandom(20261205);
    double[][] keys = new double[40][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = new double[1]; // equal contents, distinct identities
    }
    IdentityTable table = new IdentityTable();
    Map<Object, Object> reference = new IdentityHashMap<>();
    for (int step = 0; step < 20000; step++) {
      Object key = keys[random.nextInt(step < 10000 ? 12 : keys.length)];
      switch (random.nextInt(5)) {
        case 0, 1 -> {
          Object value = new Object();
          table.put(key, value);
          reference.put(key, value);
        }
        case 2 -> {
          table.remove(key);
          reference.remove(key);
        }
        case 3 -> {
          assertEquals(!reference.containsKey(key), table.add(key, "added"), "add");
          reference.putIfAbsent(key, "added");
        }
        default -> {
          if (random.nextInt(50) == 0) {
            table.clear();
            reference.clear();
          }
        }
      }
      for (double[] k : keys) {
        assertSame(reference.get(k), table.get(k));
      }
      assertEquals(reference.isEmpty(), table.isEmpty());
    }
  }

  @Test
  void tellsEqualArraysApart() {
    IdentityTable table = new IdentityTable();
    double[] a = {1, 2};
    double[] b = {1, 2};
    table.put(a, "a");
    assertNull(table.get(b));
    assertTrue(table.add(b, "b"));
    assertFalse(table.add(a, "again"));
    assertEquals("a", table.get(a));
  }
}
