package io.github.argrpo.examples.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InputArchive;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.train.Checkpointer;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;
import io.github.argrpo.models.llamagen.LlamaGenPolicy;

/**
 * Loads GPT weights into a policy from any of the places a user has them: an official LlamaGen
 * {@code .pt} checkpoint, a safetensors file (reference key names), a released AR-GRPO checkpoint
 * (a {@code save_pretrained} folder, its {@code model.safetensors} or shard index: the policy's
 * {@code gpt_model.*} tensors are taken, {@code ref_model.*} and {@code vq_model.*} ignored), a run checkpoint folder
 * ({@code runs/x/checkpoints/step-000400}, the trainer's {@code policy.pt} archive), or a run folder
 * (its newest checkpoint). From a checkpoint, the policy's buffers are restored too when the checkpoint
 * holds them (the t2i unconditional caption); an older checkpoint without them keeps the current ones.
 */
public final class PolicyWeights {

  private PolicyWeights() {}

  /**
   * Copies the weights at {@code path} into {@code policy}.
   *
   * @throws ConfigException if the path does not exist or holds no policy weights; the message names it
   * @throws IllegalArgumentException if the weights do not fit the configured architecture
   */
  public static void load(LlamaGenPolicy policy, Path path, String key) throws IOException {
    if (Files.isDirectory(path) && !isSavedModelFolder(path)) {
      Path archive = checkpointArchive(path, key);
      loadArchive(policy, archive);
      // non-parameter state (t2i's unconditional caption embedding) saved beside the parameters
      Checkpointer.restoreBuffers(archive.getParent(), policy);
      return;
    }
    if (!Files.exists(path)) {
      throw new ConfigException(key + ": file " + path + " does not exist");
    }
    try (WeightSource w = WeightFiles.open(path)) {
      policy.loadWeights(w);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + " " + path + ": " + oneLine(e.getMessage()), e);
    }
  }

  /**
   * What identifies the weights {@link #load} would read from {@code path}: the file it resolves to
   * (for a run folder, its newest checkpoint), with size and modification time, so a resumed export
   * notices new weights behind the same path.
   */
  public static String fingerprint(Path path) throws IOException {
    Path file = path;
    if (isSavedModelFolder(path)) {
      file = WeightFiles.savedModelFile(path);
    } else if (Files.isDirectory(path)) {
      file = checkpointArchive(path, "model.weights");
    }
    if (!Files.isRegularFile(file)) {
      return path + " (missing)";
    }
    return file.toAbsolutePath().normalize() + " " + Files.size(file) + " bytes, modified "
        + Files.getLastModifiedTime(file).toMillis();
  }

  /** A multi-line library message as one line (the program reports user errors in one line). */
  public static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
  }

  /** A Hugging Face save_pretrained folder (a released AR-GRPO checkpoint), not one of our run folders. */
  private static boolean isSavedModelFolder(Path dir) {
    return WeightFiles.isSavedModelFolder(dir) && !Files.isRegularFile(dir.resolve("policy.pt"))
        && !Files.isDirectory(dir.resolve("checkpoints"));
  }

  private static Path checkpointArchive(Path dir, String key) {
    if (Files.isRegularFile(dir.resolve("policy.pt"))) {
      return dir.resolve("policy.pt");
    }
    Optional<Checkpointer.Saved> latest = new Checkpointer(dir.resolve("checkpoints"), 1).latest();
    if (latest.isPresent()) {
      return latest.get().folder().resolve("policy.pt");
    }
    throw new ConfigException(key + ": folder " + dir + " is neither a checkpoint (policy.pt) nor a run folder with "
        + "checkpoints/step-*");
  }

  private static void loadArchive(LlamaGenPolicy policy, Path archive) {
    try (PointerScope scope = new PointerScope()) {
      InputArchive in = new InputArchive();
      in.load_from(archive.toString());
      Map<String, Tensor> params = policy.namedParameters();
      List<Tensor> read = new ArrayList<>();
      for (Map.Entry<String, Tensor> e : params.entrySet()) {
        Tensor t = new Tensor();
        if (!in.try_read(e.getKey(), t)) {
          throw new ConfigException("checkpoint " + archive + " has no parameter '" + e.getKey()
              + "'; does model.gpt match the model that was trained?");
        }
        if (!Arrays.equals(t.sizes().vec().get(), e.getValue().sizes().vec().get())) {
          throw new ConfigException("checkpoint " + archive + ": '" + e.getKey() + "' has shape "
              + Arrays.toString(t.sizes().vec().get()) + ", model.gpt expects "
              + Arrays.toString(e.getValue().sizes().vec().get()));
        }
        read.add(t);
      }
      try (NoGradGuard g = new NoGradGuard()) {
        int i = 0;
        for (Tensor p : params.values()) {
          p.copy_(read.get(i++));
        }
      }
    }
  }
}
