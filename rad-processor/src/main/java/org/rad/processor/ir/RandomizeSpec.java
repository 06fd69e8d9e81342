package org.rad.processor.ir;

import java.util.List;

/**
 * A {@code @Randomize} request on a local or parameter: records of its values keep a random
 * sample, scaled so the expectation is exact.
 *
 * @param var the IR name of the variable
 * @param fraction the fraction f kept, 0 &lt; f &lt;= 1
 * @param sampling the name of the {@code Sampling} constant
 * @param sameAcross IR names of enclosing loop variables whose iterations share one sample, and
 *     {@link #ROWS} when the rows of a matrix recorded whole share one
 * @param origin the annotated declaration, where errors about the request are reported
 */
public record RandomizeSpec(String var, double fraction, String sampling, List<String> sameAcross, Origin origin) {
  /** The value of {@code Randomize.ROWS} in {@code sameAcross}: the rows of a matrix share a sample. */
  public static final String ROWS = "#rows";

  /** Whether a matrix recorded whole draws one sample for all its rows. */
  public boolean sameAcrossRows() {
    return sameAcross.contains(ROWS);
  }
}
