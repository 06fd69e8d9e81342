package org.rad.processor.ir;

/**
 * Where in the user's source an IR node came from, so a later stage can report an error at the
 * right line. The front end supplies the implementation; the IR itself knows nothing of javac.
 */
public interface Origin {
  /**
   * The user's source of the node, as the compiler prints it ({@code double t = Math.exp(h[i]) *
   * w[i]}), for messages that point at a statement without being reported at it; null when unknown.
   */
  default String sourceText() {
    return null;
  }

  /** An origin for nodes the compiler made up itself. */
  Origin SYNTHETIC = new Origin() {
    @Override
    public String toString() {
      return "<synthetic>";
    }
  };
}
