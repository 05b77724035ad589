package io.github.argrpo.core.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AdamW;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.core.io.TempSiblings;
import io.github.argrpo.core.policy.Policy;

/**
 * Training checkpoints: {@code checkpoints/step-NNNNNN/} holding {@code policy.pt} (every policy
 * parameter by name), {@code optimizer.pt} (the AdamW state) and {@code trainer.json} (step and seed).
 * Random choices derive from (seed, step) ({@link Seeds}), so these files are the whole state.
 *
 * <p>Crash safety: a checkpoint is written into a hidden temporary folder and renamed into place in one
 * atomic move, so a process killed during a write leaves either the previous checkpoints or a complete
 * new one, never a folder that loads wrong. Unfinished temporary folders are removed on the next save.
 */
public final class Checkpointer {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  private static final Pattern NAME = Pattern.compile("step-(\\d{6,})");

  private final Path dir;
  private final int keep;

  /** @param dir the {@code checkpoints/} folder; @param keep how many recent checkpoints to keep */
  public Checkpointer(Path dir, int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be >= 1, got " + keep);
    }
    this.dir = dir;
    this.keep = keep;
  }

  /** A saved checkpoint. */
  public record Saved(int step, long seed, Path folder) {}

  /** Writes the checkpoint of {@code step}, then deletes all but the newest {@code keep}. */
  public Path save(int step, long seed, Policy policy, AdamW optimizer) {
    Path target = dir.resolve(String.format("step-%06d", step));
    try {
      Files.createDirectories(dir);
      cleanTemporaries();
      Path tmp = TempSiblings.directory(dir, ".tmp-step-");
      try (PointerScope scope = new PointerScope()) {
        OutputArchive pa = new OutputArchive();
        for (Map.Entry<String, Tensor> e : policy.namedParameters().entrySet()) {
          pa.write(e.getKey(), e.getValue().detach());
        }
        pa.save_to(tmp.resolve("policy.pt").toString());
        OutputArchive oa = new OutputArchive();
        optimizer.save(oa);
        oa.save_to(tmp.resolve("optimizer.pt").toString());
      }
      Files.writeString(tmp.resolve("trainer.json"), "{\"step\": " + step + ", \"seed\": " + seed + "}\n", StandardCharsets.UTF_8);
      if (Files.exists(target)) {
        deleteTree(target);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
    prune();
    LOG.info("checkpoint written: {}", target);
    return target;
  }

  /** The newest complete checkpoint, if any. */
  public Optional<Saved> latest() {
    return list().stream().max(Comparator.comparingInt(Saved::step));
  }

  /** Every complete checkpoint, oldest first. */
  public List<Saved> list() {
    List<Saved> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        Matcher m = NAME.matcher(p.getFileName().toString());
        if (m.matches() && Files.isRegularFile(p.resolve("trainer.json"))) {
          String json = Files.readString(p.resolve("trainer.json"));
          Matcher seed = Pattern.compile("\"seed\"\\s*:\\s*(-?\\d+)").matcher(json);
          out.add(new Saved(Integer.parseInt(m.group(1)), seed.find() ? Long.parseLong(seed.group(1)) : 0L, p));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparingInt(Saved::step));
    return out;
  }

  /**
   * Loads a checkpoint into {@code policy} and {@code optimizer}. Every parameter is read and
   * shape-checked before any is overwritten.
   */
  public void load(Saved checkpoint, Policy policy, AdamW optimizer) {
    Path folder = checkpoint.folder();
    try (PointerScope scope = new PointerScope()) {
      InputArchive pa = new InputArchive();
      pa.load_from(folder.resolve("policy.pt").toString());
      Map<String, Tensor> params = policy.namedParameters();
      List<Tensor> read = new ArrayList<>();
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        Tensor t = new Tensor();
        if (!pa.try_read(e.getKey(), t)) {
          throw new IllegalStateException("checkpoint " + folder + " has no parameter '" + e.getKey()
              + "'; was it written by another model?");
        }
        if (!java.util.Arrays.equals(t.sizes().vec().get(), e.getValue().sizes().vec().get())) {
          throw new IllegalStateException("checkpoint " + folder + ": parameter '" + e.getKey() + "' has shape "
              + java.util.Arrays.toString(t.sizes().vec().get()) + ", the policy expects "
              + java.util.Arrays.toString(e.getValue().sizes().vec().get()));
        }
        read.add(t);
      }
      try (NoGradGuard ng = new NoGradGuard()) {
        int i = 0;
        for (Tensor p : params.values()) {
          p.copy_(read.get(i++));
        }
      }
      InputArchive oa = new InputArchive();
      oa.load_from(folder.resolve("optimizer.pt").toString());
      optimizer.load(oa);
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException("cannot load checkpoint " + folder + ": " + e.getMessage(), e);
    }
  }

  private void prune() {
    List<Saved> all = list();
    for (int i = 0; i < all.size() - keep; i++) {
      try {
        deleteTree(all.get(i).folder());
      } catch (IOException e) {
        LOG.warn("could not delete old checkpoint {}: {}", all.get(i).folder(), e.getMessage());
      }
    }
  }

  private void cleanTemporaries() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".tmp-step-*")) {
      for (Path p : ds) {
        deleteTree(p);
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      List<Path> all = s.sorted(Comparator.reverseOrder()).toList();
      for (Path q : all) {
        Files.deleteIfExists(q);
      }
    }
  }
}
