package org.rad.samples.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MNIST and Fashion-MNIST loading on small synthetic IDX files (the tests never use the network,
 * nor the real datasets: the checksum logic is checked with a dataset whose sums are those of the
 * synthetic files).
 */
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

  @Test
  void missingFashionFilesNameTheFileAndBothWaysToGetThem() {
    IOException e = assertThrows(Mnist.DataException.class, () -> Mnist.load(Mnist.FASHION, dir, true));
    assertTrue(e.getMessage().startsWith("missing " + dir.resolve("train-images-idx3-ubyte")), e.getMessage());
    assertTrue(e.getMessage().contains("bin/fetch-fashion-mnist"), e.getMessage());
    assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
  }

  /** Gzips every file of the folder in place, as Debian ships Fashion-MNIST. */
  private void gzipAll() throws IOException {
    for (String name : Mnist.FILES) {
      Path raw = dir.resolve(name);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve(name + ".gz")))) {
        out.write(Files.readAllBytes(raw));
      }
      Files.delete(raw);
    }
  }

  /** A dataset like Fashion-MNIST whose sums are those of the synthetic raw files in the folder. */
  private Mnist.Dataset syntheticDataset() throws IOException, NoSuchAlgorithmException {
    Map<String, String> sums = new HashMap<>();
    for (String name : Mnist.FILES) {
      byte[] content = Files.readAllBytes(dir.resolve(name));
      sums.put(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
    }
    return new Mnist.Dataset("Synthetic", sums, List.of(dir), "Get it with bin/fetch-synthetic.");
  }

  @Test
  void gzippedFilesAreCheckedAgainstTheSumOfTheirContent() throws Exception {
    writeSplit("train", 5);
    writeSplit("t10k", 3);
    Mnist.Dataset synthetic = syntheticDataset();
    gzipAll();
    Mnist.Data data = Mnist.load(synthetic, dir, true);
    assertEquals(5, data.train().size());
    assertEquals(2, data.test().labels()[2]);
  }

  @Test
  void wrongContentNamesTheFileAndHowToGetIt() throws Exception {
    writeSplit("train", 5);
    writeSplit("t10k", 3);
    Mnist.Dataset synthetic = syntheticDataset();
    // One label changed: still a well-formed IDX file, so only the checksum can tell.
    Path labels = dir.resolve("t10k-labels-idx1-ubyte");
    byte[] bytes = Files.readAllBytes(labels);
    bytes[bytes.length - 1] = 7;
    Files.write(labels, bytes);
    gzipAll();
    IOException e = assertThrows(Mnist.DataException.class, () -> Mnist.load(synthetic, dir, true));
    assertTrue(e.getMessage().startsWith(dir.resolve("t10k-labels-idx1-ubyte.gz") + " is corrupt or not Synthetic"),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("Get it with bin/fetch-synthetic."), e.getMessage());
  }

  @Test
  void truncatedGzipNamesTheFileAndHowToGetIt() throws Exception {
    writeSplit("train", 50);
    writeSplit("t10k", 3);
    Mnist.Dataset synthetic = syntheticDataset();
    gzipAll();
    Path images = dir.resolve("train-images-idx3-ubyte.gz");
    byte[] bytes = Files.readAllBytes(images);
    Files.write(images, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    IOException e = assertThrows(Mnist.DataException.class, () -> Mnist.load(synthetic, dir, true));
    assertTrue(e.getMessage().startsWith(images + " "), e.getMessage());
    assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    assertTrue(e.getMessage().endsWith("Get it with bin/fetch-synthetic."), e.getMessage());
  }

  @Test
  void fashionSumsCoverItsFourFilesAndItIsLookedForWhereDebianInstallsIt() {
    assertEquals(Mnist.FASHION, Mnist.Dataset.forName("fashion"));
    assertEquals(Mnist.MNIST, Mnist.Dataset.forName("MNIST"));
    assertThrows(IllegalArgumentException.class, () -> Mnist.Dataset.forName("cifar"));
    for (String name : Mnist.FILES) {
      assertTrue(Mnist.FASHION.sha256().get(name).matches("[0-9a-f]{64}"), name);
      assertTrue(Mnist.MNIST.sha256().get(name).matches("[0-9a-f]{64}"), name);
    }
    assertEquals(Path.of("/usr/share/datasets/fashion-mnist"), Mnist.FASHION.defaultFolders().get(0));
  }
}
