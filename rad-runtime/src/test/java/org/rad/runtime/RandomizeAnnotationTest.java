package org.rad.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Test;
import org.rad.annotations.Randomize;
import org.rad.annotations.Sampling;

/** The annotation contract the processor is written against. */
class RandomizeAnnotationTest {

  @Test
  void targetsRetentionAndDefaults() throws Exception {
    assertArrayEquals(new ElementType[] {ElementType.LOCAL_VARIABLE, ElementType.PARAMETER},
        Randomize.class.getAnnotation(Target.class).value());
    assertEquals(RetentionPolicy.CLASS, Randomize.class.getAnnotation(Retention.class).value());
    assertNull(Randomize.class.getMethod("fraction").getDefaultValue(), "fraction is required");
    assertEquals(Sampling.BERNOULLI, Randomize.class.getMethod("sampling").getDefaultValue());
    assertArrayEquals(new String[0], (String[]) Randomize.class.getMethod("sameAcross").getDefaultValue());
  }

  @Test
  void samplingConstantsInOrder() {
    assertArrayEquals(
        new Sampling[] {Sampling.BERNOULLI, Sampling.WITH_REPLACEMENT, Sampling.WITHOUT_REPLACEMENT, Sampling.RADEMACHER},
        Sampling.values());
  }
}
