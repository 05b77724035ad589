package io.github.argrpo.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code best} folder of a run: the checkpoint whose held-out metric was best so far, usable
 * wherever a checkpoint folder is ({@code model.weights=runs/x/best}). It holds hard links to the
 * checkpoint's files, so pruning the checkpoint (the trainer keeps only the newest few) does not take
 * the best one with it; where hard links are not possible the files are copied. {@code best.json}
 * beside them records the step, the metric and its value.
 *
 * <p>Replacing it is crash-safe: the new folder is built beside the old one and swapped in by renames.
 */
public final class BestCheckpoint {

  private static final Logger LOG = LoggerFactory.getLogger(BestCheckpoint.class);
  private static final Pattern VALUE = Pattern.compile("\"value\"\\s*:\\s*([-+0-9.eEinfaINFAN]+)");
  private static final Pattern STEP = Pattern.compile("\"step\"\\s*:\\s*(\\d+)");

  private final Path folder;
  private final String metric;
  private final boolean higherIsBetter;
  private double best;
  private int bestStep;

  /**
   * @param runRoot the run folder; the pointer is {@code runRoot/best}
   * @param metric the key it is chosen by (for the record)
   * @param higherIsBetter whether larger values are better
   */
  public BestCheckpoint(Path runRoot, String metric, boolean higherIsBetter) {
    this.folder = runRoot.resolve("best");
    this.metric = metric;
    this.higherIsBetter = higherIsBetter;
    this.best = Double.NaN;
    this.bestStep = -1;
    readExisting();
  }

  /** The folder {@code best}. */
  public Path folder() {
    return folder;
  }

  /** The best value so far, NaN before the first. */
  public double bestValue() {
    return best;
  }

  /** The step of the best value, empty before the first. */
  public Optional<Integer> bestStep() {
    return bestStep < 0 ? Optional.empty() : Optional.of(bestStep);
  }

  /** Whether {@code value} would be a new best (NaN never is). */
  public boolean improves(double value) {
    if (Double.isNaN(value)) {
      return false;
    }
    if (Double.isNaN(best)) {
      return true;
    }
    return higherIsBetter ? value > best : value < best;
  }

  /**
   * Points {@code best} at {@code checkpoint} (a checkpoint folder of step {@code step}) when
   * {@code value} improves on the best so far.
   *
   * @return whether the pointer moved
   */
  public boolean offer(int step, double value, Path checkpoint) {
    if (!improves(value)) {
      return false;
    }
    checkArgument(Files.isDirectory(checkpoint),
        "checkpoint folder %s does not exist; save the checkpoint first", checkpoint);
    Path parent = folder.getParent();
    Path tmp = parent.resolve(".tmp-best");
    Path old = parent.resolve(".old-best");
    try {
      deleteTree(tmp);
      deleteTree(old);
      Files.createDirectories(tmp);
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(checkpoint)) {
        for (Path f : ds) {
          if (Files.isRegularFile(f)) {
            link(f, tmp.resolve(f.getFileName().toString()));
          }
        }
      }
      Files.writeString(tmp.resolve("best.json"), String.format(Locale.ROOT,
          "{\"step\": %d, \"metric\": \"%s\", \"mode\": \"%s\", \"value\": %s, \"checkpoint\": \"%s\"}%n", step,
          metric.replace("\"", "'"), higherIsBetter ? "max" : "min", Double.toString(value),
          parent.relativize(checkpoint.toAbsolutePath()).toString().replace("\"", "'")), StandardCharsets.UTF_8);
      if (Files.exists(folder)) {
        Files.move(folder, old, StandardCopyOption.ATOMIC_MOVE);
      }
      Files.move(tmp, folder, StandardCopyOption.ATOMIC_MOVE);
      deleteTree(old);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + folder + " to step " + step + ": " + e.getMessage(), e);
    }
    LOG.info("best held-out {} = {} at step {} -> {}", metric, value, step, folder);
    best = value;
    bestStep = step;
    return true;
  }

  private static void link(Path from, Path to) throws IOException {
    try {
      Files.createLink(to, from);
    } catch (UnsupportedOperationException | FileSystemException e) {
      Files.copy(from, to);
    }
  }

  private void readExisting() {
    Path json = folder.resolve("best.json");
    if (!Files.isRegularFile(json)) {
      return;
    }
    try {
      String s = Files.readString(json);
      Matcher v = VALUE.matcher(s);
      Matcher st = STEP.matcher(s);
      if (v.find() && st.find()) {
        best = Double.parseDouble(v.group(1));
        bestStep = Integer.parseInt(st.group(1));
      }
    } catch (IOException | NumberFormatException e) {
      LOG.warn("ignoring unreadable {}: {}", json, e.toString());
    }
  }

  private static void deleteTree(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    if (Files.isDirectory(p)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
        for (Path c : ds) {
          deleteTree(c);
        }
      }
    }
    Files.delete(p);
  }
}
