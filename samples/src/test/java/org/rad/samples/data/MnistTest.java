package org.rad.samples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MNIST loading on small synthetic IDX files (the tests never use the network). */
class MnistTest {
  @TempDir
  Path dir;

  private void write(String name, int[] dims, byte[] data) throws IOException {
    Files.write(dir.resolve(name), IdxReaderTest.idx(dims, data));
  }

  private void writeSplit(String prefix, int n) throws IOException {
    byte[] pixels = new byte[n * 28 * 28];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = (byte) (k % 256);
    }
    byte[] labels = new byte[n];
    for (int k = 0; k < n; k++) {
      labels[k] = (byte) (k % 10);
    }
    write(prefix + "-images-idx3-ubyte", new int[] {n, 28, 28}, pixels);
    write(prefix + "-labels-idx1-ubyte", new int[] {n}, labels);
  }

  @Test
  void loadsImagesScaledToTheUnitIntervalAndLabels() throws IOException {
    writeSplit("train", 5);
    writeSplit("t10k", 3);
    Mnist.Data data = Mnist.load(dir, false);
    assertEquals(5, data.train().size());
    assertEquals(3, data.test().size());
    assertEquals(784, data.train().images()[0].length);
    assertEquals(255 / 255.0, data.train().images()[0][255], 0.0);
    assertEquals(4, data.train().labels()[4]);
  }

  @Test
  void verifiedLoadRejectsFilesThatAreNotMnist() throws IOException {
    writeSplit("train", 5);
    writeSplit("t10k", 3);
    IOException e = assertThrows(Mnist.DataException.class, () -> Mnist.load(dir, true));
    assertTrue(e.getMessage().contains("is corrupt or not MNIST"), e.getMessage());
    assertTrue(e.getMessage().contains("bin/fetch-mnist"), e.getMessage());
  }

  @Test
  void missingFilesSayHowToGetThem() {
    IOException e = assertThrows(Mnist.DataException.class, () -> Mnist.load(dir, true));
    assertTrue(e.getMessage().startsWith("missing "), e.getMessage());
    assertTrue(e.getMessage().contains("bin/fetch-mnist"), e.getMessage());
  }
}
