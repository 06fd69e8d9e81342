package org.rad.runtime;

import java.util.List;

/**
 * The check that guards a gradient of an instance method against virtual dispatch: the generated
 * code differentiates the bodies of the user's class, so a receiver whose class overrides one of
 * the methods the gradient runs (the method itself or a helper it calls on {@code this}) would get
 * the gradient of other code. The entry of such a gradient throws instead. The answer for each
 * receiver class is computed once, by reflection, and kept ({@link ClassValue}).
 */
public final class Overrides {
  private Overrides() {}

  /** A method of the differentiated class by name and parameter types. */
  public record Method(String name, Class<?>... parameters) {}

  /**
   * The check for the methods {@code methods} of {@code base}: per receiver class, the first of
   * them that a class between it and {@code base} declares again ({@code "demo.Sub.act"}), or null.
   */
  public static ClassValue<String> of(Class<?> base, Method... methods) {
    List<Method> checked = List.of(methods);
    return new ClassValue<>() {
      @Override
      protected String computeValue(Class<?> receiver) {
        for (Class<?> c = receiver; c != null && c != base; c = c.getSuperclass()) {
          for (Method m : checked) {
            try {
              c.getDeclaredMethod(m.name(), m.parameters());
              return c.getName() + "." + m.name();
            } catch (NoSuchMethodException e) {
              // not declared here: look further up
            }
          }
        }
        return null;
      }
    };
  }

  /**
   * Throws an {@link IllegalArgumentException} where {@code self}'s class overrides a method that
   * the gradient {@code gradient} differentiates as {@code base} declares it.
   */
  public static void check(ClassValue<String> overrides, Object self, Class<?> base, String gradient) {
    if (self.getClass() == base) {
      return;
    }
    String overridden = overrides.get(self.getClass());
    if (overridden != null) {
      throw new IllegalArgumentException(gradient + " differentiates the methods of " + base.getName()
          + " as written there, but the receiver is a " + self.getClass().getName() + ", which overrides "
          + overridden.substring(overridden.lastIndexOf('.') + 1) + " (" + overridden + "): make that method final"
          + " or private in " + base.getSimpleName() + ", or annotate a method of the subclass to differentiate its code");
    }
  }
}
