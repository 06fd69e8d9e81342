package org.rad.processor.ir;

/**
 * Where in the user's source an IR node came from, so a later stage can report an error at the
 * right line. The front end supplies the implementation; the IR itself knows nothing of javac.
 */
public interface Origin {
  /** An origin for nodes the compiler made up itself. */
  Origin SYNTHETIC = new Origin() {
    @Override
    public String toString() {
      return "<synthetic>";
    }
  };
}
