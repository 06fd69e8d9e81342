package org.rad.processor.diagnostics;

import java.util.ArrayList;
import java.util.List;

/**
 * Several errors of one class, thrown by a stage that went on past its first error (the front end
 * per statement, differentiation per method) so that a compile shows them all. Caught per class by
 * the processor, which reports each and writes nothing for the class.
 */
public class CompileErrors extends RuntimeException {
  private final transient List<CompileError> errors;

  public CompileErrors(List<CompileError> errors) {
    super(errors.size() + " errors", null, false, false);
    this.errors = List.copyOf(errors);
  }

  public List<CompileError> errors() {
    return errors;
  }

  /**
   * Collects the errors of a stage that goes on after each: {@link #attempt} runs a step and keeps
   * its error; {@link #throwIfAny} ends the stage.
   */
  public static final class Collector {
    private final List<CompileError> errors = new ArrayList<>();

    /** Runs {@code step}; returns false (and keeps the error) when it failed. */
    public boolean attempt(Runnable step) {
      try {
        step.run();
        return true;
      } catch (CompileError e) {
        add(e);
        return false;
      } catch (CompileErrors e) {
        e.errors().forEach(this::add);
        return false;
      }
    }

    /**
     * Keeps {@code e}, unless it only follows from an error already kept (a use of a local whose
     * declaration was rejected).
     */
    public void add(CompileError e) {
      if (!e.followOn()) {
        errors.add(e);
      }
    }

    public boolean isEmpty() {
      return errors.isEmpty();
    }

    /** The number of errors kept so far. */
    public int size() {
      return errors.size();
    }

    /** The errors kept so far. */
    public List<CompileError> errors() {
      return List.copyOf(errors);
    }

    /** Throws the errors kept so far, if any. */
    public void throwIfAny() {
      if (!errors.isEmpty()) {
        throw new CompileErrors(errors);
      }
    }
  }
}
