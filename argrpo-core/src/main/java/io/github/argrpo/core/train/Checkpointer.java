package io.github.argrpo.core.train;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.OutputArchive;
import org.bytedeco.pytorch.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.argrpo.core.grpo.GrpoOptimizer;
import io.github.argrpo.core.io.TempSiblings;
import io.github.argrpo.core.policy.Policy;

/**
 * Training checkpoints: {@code checkpoints/step-NNNNNN/} holding {@code policy.pt} (every policy
 * parameter by name), {@code buffers.pt} (the policy's {@link Policy#namedBuffers() buffers}, when it has
 * any), {@code optimizer.pt} (the optimizer state, {@link GrpoOptimizer#saveState}) and
 * {@code trainer.json} (step, seed and the fingerprint of the reference policy). Random choices derive
 * from (seed, step) ({@link Seeds}), so these files are the whole state.
 *
 * <p>Crash safety: a checkpoint is written into a hidden temporary folder, every file and the folder
 * are flushed to disk (fsync), and the folder is renamed into place in one atomic move, so a process or
 * machine that dies during a write leaves either the previous checkpoints or a complete new one, never
 * a folder that loads wrong. Re-saving a step that exists moves the old folder aside first, moves the
 * new one in, then deletes the old one; a save interrupted between the two moves finds the old folder
 * (which {@link #list()} counts) and puts it back. Unfinished temporary folders are removed on the next
 * save.
 */
public final class Checkpointer {

  private static final Logger LOG = LoggerFactory.getLogger(Checkpointer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern NAME = Pattern.compile("step-(\\d{6,})");
  private static final String ASIDE = ".aside-";

  /** Test hook: called after each phase of a save, to simulate a crash there. */
  @FunctionalInterface
  interface Phases {
    Phases NONE = phase -> {};

    /** @param phase {@code written} (the new folder is complete), {@code old-aside}, {@code new-in} */
    void reached(String phase) throws IOException;
  }

  private final Path dir;
  private final int keep;
  private final Phases phases;

  /** @param dir the {@code checkpoints/} folder; @param keep how many recent checkpoints to keep */
  public Checkpointer(Path dir, int keep) {
    this(dir, keep, Phases.NONE);
  }

  Checkpointer(Path dir, int keep, Phases phases) {
    checkArgument(keep >= 1, "keep must be >= 1, got %s", keep);
    this.dir = dir;
    this.keep = keep;
    this.phases = phases;
  }

  /**
   * A saved checkpoint.
   *
   * @param referenceFingerprint {@link io.github.argrpo.core.policy.ParameterChecksums#fingerprint} of the
   *     reference policy the run trained against, or null when none was recorded (no reference, or a
   *     checkpoint written before fingerprints were recorded)
   */
  public record Saved(int step, long seed, Path folder, String referenceFingerprint) {}

  /** Writes the checkpoint of {@code step} without a reference fingerprint; see {@link #save(int, long, String, Policy, GrpoOptimizer)}. */
  public Path save(int step, long seed, Policy policy, GrpoOptimizer optimizer) {
    return save(step, seed, null, policy, optimizer);
  }

  /**
   * Writes the checkpoint of {@code step} (replacing one of the same step), then deletes all but the
   * newest {@code keep}.
   *
   * @param referenceFingerprint the reference policy's fingerprint to record, or null
   */
  public Path save(int step, long seed, String referenceFingerprint, Policy policy, GrpoOptimizer optimizer) {
    String name = String.format("step-%06d", step);
    Path target = dir.resolve(name);
    try {
      Files.createDirectories(dir);
      recoverInterrupted();
      Path tmp = TempSiblings.directory(dir, ".tmp-step-");
      writeTensors(policy.namedParameters(), tmp.resolve("policy.pt"));
      Map<String, Tensor> buffers = policy.namedBuffers();
      if (!buffers.isEmpty()) {
        writeTensors(buffers, tmp.resolve("buffers.pt"));
      }
      optimizer.saveState(tmp.resolve("optimizer.pt"));
      ObjectNode meta = JSON.createObjectNode().put("step", step).put("seed", seed);
      if (referenceFingerprint != null) {
        meta.put("reference_fingerprint", referenceFingerprint);
      }
      Files.writeString(tmp.resolve("trainer.json"), JSON.writeValueAsString(meta) + "\n", StandardCharsets.UTF_8);
      try (Stream<Path> files = Files.list(tmp)) {
        for (Path f : files.toList()) {
          fsync(f, false);
        }
      }
      fsync(tmp, true);
      phases.reached("written");
      Path aside = null;
      if (Files.exists(target)) {
        aside = dir.resolve(ASIDE + name);
        Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
        fsync(dir, true);
        phases.reached("old-aside");
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      fsync(dir, true);
      phases.reached("new-in");
      if (aside != null) {
        deleteTree(aside);
      }
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

  /**
   * Every complete checkpoint, oldest first. The old folder of an interrupted re-save counts as its
   * step's checkpoint while the new one has not been moved in.
   */
  public List<Saved> list() {
    Map<Integer, Saved> byStep = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String file = p.getFileName().toString();
        boolean aside = file.startsWith(ASIDE);
        Matcher m = NAME.matcher(aside ? file.substring(ASIDE.length()) : file);
        if (m.matches() && Files.isRegularFile(p.resolve("trainer.json"))) {
          JsonNode json = readMeta(p);
          int step = Integer.parseInt(m.group(1));
          Saved s = new Saved(step, json.path("seed").asLong(0L), p,
              json.hasNonNull("reference_fingerprint") ? json.get("reference_fingerprint").asText() : null);
          if (!aside || !byStep.containsKey(step)) {
            byStep.put(step, s);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list checkpoints in " + dir + ": " + e.getMessage(), e);
    }
    List<Saved> out = new ArrayList<>(byStep.values());
    out.sort(Comparator.comparingInt(Saved::step));
    return out;
  }

  /**
   * Loads a checkpoint into {@code policy} and {@code optimizer}. Every parameter is read and
   * shape-checked before any is overwritten. Buffers the checkpoint holds are restored; a checkpoint
   * without buffers (written before they were saved) leaves the policy's current ones.
   */
  public void load(Saved checkpoint, Policy policy, GrpoOptimizer optimizer) {
    Path folder = checkpoint.folder();
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> params = policy.namedParameters();
      List<Tensor> read = readTensors(folder, "policy.pt", "parameter", params, true);
      try (NoGradGuard ng = new NoGradGuard()) {
        copyInto(params, read);
      }
      restoreBuffers(folder, policy);
    } catch (RuntimeException e) {
      if (e instanceof IllegalStateException) {
        throw e;
      }
      throw new IllegalStateException("cannot load checkpoint " + folder + ": " + e.getMessage(), e);
    }
    optimizer.loadState(folder.resolve("optimizer.pt"));
  }

  /**
   * Copies the buffers a checkpoint folder holds ({@code buffers.pt}) into {@code policy}'s
   * {@link Policy#namedBuffers()}, for every reader of a checkpoint's weights (resume, sampling or
   * exporting from a run folder). A checkpoint without buffers (an older format) leaves the policy's
   * current ones, with a note in the log.
   *
   * @return whether the folder held buffers
   * @throws IllegalStateException if a saved buffer has another shape than the policy's
   */
  public static boolean restoreBuffers(Path folder, Policy policy) {
    Map<String, Tensor> buffers = policy.namedBuffers();
    if (buffers.isEmpty()) {
      return false;
    }
    if (!Files.isRegularFile(folder.resolve("buffers.pt"))) {
      LOG.info("checkpoint {} holds no buffers (an older format): keeping the policy's current {}", folder,
          buffers.keySet());
      return false;
    }
    try (PointerScope scope = new PointerScope(); NoGradGuard ng = new NoGradGuard()) {
      copyInto(buffers, readTensors(folder, "buffers.pt", "buffer", buffers, false));
    }
    return true;
  }

  private static void writeTensors(Map<String, Tensor> tensors, Path file) {
    try (PointerScope scope = new PointerScope()) {
      OutputArchive a = new OutputArchive();
      for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
        a.write(e.getKey(), e.getValue().detach());
      }
      a.save_to(file.toString());
    }
  }

  /**
   * Reads and shape-checks one tensor per name of {@code like} (null where an optional one is missing).
   * The result lives in the caller's scope.
   */
  private static List<Tensor> readTensors(Path folder, String file, String kind, Map<String, Tensor> like,
      boolean required) {
    InputArchive a = new InputArchive();
    a.load_from(folder.resolve(file).toString());
    List<Tensor> read = new ArrayList<>();
    for (Map.Entry<String, Tensor> e : like.entrySet()) {
      Tensor t = new Tensor();
      if (!a.try_read(e.getKey(), t)) {
        checkState(!required,
            "checkpoint %s has no %s '%s'; was it written by another model?", folder, kind, e.getKey());
        LOG.warn("checkpoint {} has no {} '{}': keeping the policy's current value", folder, kind, e.getKey());
        read.add(null);
        continue;
      }
      long[] got = t.sizes().vec().get();
      long[] want = e.getValue().sizes().vec().get();
      if (!Arrays.equals(got, want)) {
        throw new IllegalStateException("checkpoint " + folder + ": " + kind + " '" + e.getKey() + "' has shape "
            + Arrays.toString(got) + ", the policy expects " + Arrays.toString(want));
      }
      read.add(t);
    }
    return read;
  }

  private static void copyInto(Map<String, Tensor> live, List<Tensor> values) {
    int i = 0;
    for (Tensor p : live.values()) {
      Tensor v = values.get(i++);
      if (v != null) {
        p.copy_(v);
      }
    }
  }

  private static JsonNode readMeta(Path folder) throws IOException {
    Path f = folder.resolve("trainer.json");
    try {
      return JSON.readTree(Files.readString(f, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException("unreadable " + f + " (" + e.getMessage() + "); delete that checkpoint folder", e);
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

  /**
   * Finishes what an interrupted save left: an old folder moved aside goes back when its step has no
   * folder (the new one never arrived) and is deleted otherwise; unfinished temporary folders go.
   */
  private void recoverInterrupted() throws IOException {
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ASIDE + "step-*")) {
      for (Path p : ds) {
        Path original = dir.resolve(p.getFileName().toString().substring(ASIDE.length()));
        if (Files.exists(original)) {
          deleteTree(p);
        } else {
          Files.move(p, original, StandardCopyOption.ATOMIC_MOVE);
          LOG.info("restored checkpoint {} from an interrupted re-save", original);
        }
      }
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".tmp-step-*")) {
      for (Path p : ds) {
        deleteTree(p);
      }
    }
    fsync(dir, true);
  }

  /**
   * Flushes a file's or a folder's contents to disk. Folders cannot be opened on every platform
   * (Windows): there the rename alone has to do.
   */
  private static void fsync(Path p, boolean folder) throws IOException {
    try (FileChannel ch = FileChannel.open(p, folder ? StandardOpenOption.READ : StandardOpenOption.WRITE)) {
      ch.force(true);
    } catch (IOException e) {
      if (!folder) {
        throw e;
      }
      LOG.debug("cannot fsync folder {}: {}", p, e.toString());
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
