package org.rad.processor.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The names of generated methods: built, recognized and taken apart by {@link Sweep}. */
class SweepTest {
  @Test
  void eachKindNamesItsMethodAndGivesTheBaseBack() {
    Set<String> names = new HashSet<>();
    for (Sweep s : Sweep.values()) {
      String name = s.of("energy");
      assertTrue(names.add(name), "two kinds name " + name);
      assertTrue(s.names(name), s + " " + name);
      assertEquals("energy", s.baseOf(name));
    }
    assertEquals("energyReverse", Sweep.REVERSE.of("energy"));
    assertEquals("energyPrimalKeep", Sweep.PRIMAL_KEEP.of("energy"));
    assertEquals("energyCuda", Sweep.ENTRY_CUDA.of("energy"));
  }

  @Test
  void aKeptReverseIsNotAPlainReverse() {
    // the passes that look for calls of plain reverse sweeps must not take fReverseKept for one
    assertFalse(Sweep.REVERSE.names(Sweep.REVERSE_KEPT.of("f")));
    assertFalse(Sweep.FORWARD.names(Sweep.FORWARD_CUDA.of("f")));
    assertThrows(IllegalArgumentException.class, () -> Sweep.REVERSE.baseOf("fForward"));
    assertEquals("reverse", Sweep.REVERSE.word());
  }
}
