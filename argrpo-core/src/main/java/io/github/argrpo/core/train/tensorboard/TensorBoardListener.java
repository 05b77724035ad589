package io.github.argrpo.core.train.tensorboard;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.StepRecord;
import io.github.argrpo.core.train.TrainingListener;

/**
 * Logs a training run as a TensorBoard event file in the run folder
 * ({@code events.out.tfevents.<seconds>.<host>}): every metric of every step as a scalar under its
 * {@link TrlNames TRL name}, and every sample grid as an image ({@code samples}) at its step.
 *
 * <p>Grids reach the listener through {@link #onSampleGrid}; grids that appear in {@code samples/}
 * without that call (a trainer that does not announce them) are picked up at the next step, with the
 * step their file name gives. Grids already in the folder when the listener is made (from the run
 * being resumed) are not logged again. A write error is logged once and ends the logging, not the
 * training.
 */
public final class TensorBoardListener implements TrainingListener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TensorBoardListener.class);

  /** The image tag of the sample grids. */
  public static final String SAMPLES_TAG = "samples";

  private final RunFolder folder;
  private final Set<Integer> gridsSeen = new HashSet<>();
  private final Path file;
  private TfRecordWriter writer;

  /** Opens a new event file in {@code folder}. */
  public TensorBoardListener(RunFolder folder) throws IOException {
    this.folder = folder;
    gridsSeen.addAll(gridsOnDisk().keySet());
    double now = wallTime();
    file = folder.root().resolve(String.format(Locale.ROOT, "events.out.tfevents.%d.%s", (long) now, host()));
    Files.createDirectories(folder.root());
    writer = new TfRecordWriter(file);
    writer.write(Events.fileVersion(now));
  }

  /** The event file written. */
  public Path file() {
    return file;
  }

  @Override
  public void onStart(int firstStep, int lastStep) {
    logNewGrids();
  }

  @Override
  public void onStep(StepRecord record) {
    logNewGrids();
    double now = wallTime();
    for (Map.Entry<String, Double> e : record.metrics().entrySet()) {
      double v = e.getValue() == null ? Double.NaN : e.getValue();
      write(Events.scalar(now, record.step(), TrlNames.tag(e.getKey()), (float) v));
    }
  }

  @Override
  public void onSampleGrid(int step, Path png) {
    if (gridsSeen.add(step)) {
      logGrid(step, png);
    }
  }

  @Override
  public void onEnd() {
    logNewGrids();
    close();
  }

  @Override
  public void close() {
    if (writer != null) {
      try {
        writer.close();
      } catch (IOException e) {
        LOG.warn("cannot close TensorBoard event file {}: {}", writer.file(), e.getMessage());
      }
      writer = null;
    }
  }

  private void logNewGrids() {
    gridsOnDisk().forEach((step, png) -> onSampleGrid(step, png));
  }

  private void logGrid(int step, Path png) {
    try {
      byte[] bytes = Files.readAllBytes(png);
      // width and height from the PNG header (IHDR follows the 8-byte signature and 8 bytes of chunk header)
      ByteBuffer header = ByteBuffer.wrap(bytes, 16, 8);
      int width = header.getInt();
      int height = header.getInt();
      write(Events.image(wallTime(), step, SAMPLES_TAG, width, height, bytes));
    } catch (IOException | IndexOutOfBoundsException e) {
      LOG.warn("cannot log sample grid {} to TensorBoard: {}", png, e.getMessage());
    }
  }

  /** Grids in {@code samples/} by step, from their {@code step-NNNNNN.png} names. */
  private Map<Integer, Path> gridsOnDisk() {
    Map<Integer, Path> out = new TreeMap<>();
    if (!Files.isDirectory(folder.samples())) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder.samples(), "step-*.png")) {
      for (Path p : ds) {
        String name = p.getFileName().toString();
        try {
          out.put(Integer.parseInt(name.substring("step-".length(), name.length() - ".png".length())), p);
        } catch (NumberFormatException notAGrid) {
          // another file that happens to match the pattern
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot list {}: {}", folder.samples(), e.getMessage());
    }
    return out;
  }

  private void write(byte[] event) {
    if (writer == null) {
      return;
    }
    try {
      writer.write(event);
    } catch (IOException e) {
      LOG.warn("TensorBoard logging stops: cannot write {}: {}", writer.file(), e.getMessage());
      close();
    }
  }

  private static double wallTime() {
    return System.currentTimeMillis() / 1000.0;
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "_");
    } catch (IOException e) {
      return "localhost";
    }
  }
}
