package io.github.argrpo.weights;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a weight file with the right reader, chosen by content rather than by file name: a zip
 * header means a {@code torch.save} checkpoint ({@link TorchCheckpointReader}), an 8-byte length
 * followed by <code>'{'</code> means safetensors ({@link SafetensorsFile}). A shard index
 * ({@code *.index.json}) opens as {@link ShardedWeights}, and a Hugging Face {@code save_pretrained}
 * folder as the weights file it holds ({@link #savedModelFile}).
 *
 * <pre>{@code
 * try (WeightSource w = WeightFiles.open(Path.of("vq_ds16_c2i.pt"))) {
 *   StateDictLoader.defaults().load(w, vq.stateDict());
 * }
 * }</pre>
 */
public final class WeightFiles {

  /** The kinds of weight file this SDK reads. */
  public enum Format {
    /** Hugging Face safetensors. */
    SAFETENSORS,
    /** A PyTorch {@code torch.save} zip archive. */
    TORCH_ZIP
  }

  /** Hugging Face's shard index of a sharded safetensors checkpoint. */
  public static final String SAFETENSORS_INDEX = "model.safetensors.index.json";
  /** Hugging Face's single-file safetensors checkpoint. */
  public static final String SAFETENSORS_SINGLE = "model.safetensors";
  /** Hugging Face's shard index of a sharded {@code torch.save} checkpoint. */
  public static final String TORCH_INDEX = "pytorch_model.bin.index.json";
  /** Hugging Face's single-file {@code torch.save} checkpoint. */
  public static final String TORCH_SINGLE = "pytorch_model.bin";

  private WeightFiles() {}

  /**
   * Opens {@code path} with the reader its content calls for.
   *
   * @throws WeightFormatException if the file is neither format (the message says what it looks
   *     like: empty, legacy torch, other)
   * @throws IOException if it cannot be read
   */
  public static WeightSource open(Path path) throws IOException {
    if (Files.isDirectory(path)) {
      return open(savedModelFile(path));
    }
    if (path.getFileName() != null && path.getFileName().toString().endsWith(".index.json")) {
      return ShardedWeights.open(path);
    }
    return switch (detect(path)) {
      case SAFETENSORS -> SafetensorsFile.open(path);
      case TORCH_ZIP -> TorchCheckpointReader.open(path);
    };
  }

  /**
   * The weights file of a Hugging Face {@code save_pretrained} folder (an AR-GRPO checkpoint such as
   * {@code checkpoint-100/}), in the order {@code from_pretrained} looks for them:
   * {@value #SAFETENSORS_INDEX}, {@value #SAFETENSORS_SINGLE}, {@value #TORCH_INDEX}, {@value #TORCH_SINGLE}.
   *
   * @throws WeightFormatException if the folder holds none of them
   */
  public static Path savedModelFile(Path dir) throws IOException {
    for (String name : List.of(SAFETENSORS_INDEX, SAFETENSORS_SINGLE, TORCH_INDEX, TORCH_SINGLE)) {
      Path p = dir.resolve(name);
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new WeightFormatException(dir, "this folder holds no weights file of a save_pretrained checkpoint ("
        + String.join(", ", SAFETENSORS_INDEX, SAFETENSORS_SINGLE, TORCH_INDEX, TORCH_SINGLE)
        + "); pass the weights file itself");
  }

  /** Whether {@code dir} is a folder holding a {@code save_pretrained} weights file. */
  public static boolean isSavedModelFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    for (String name : List.of(SAFETENSORS_INDEX, SAFETENSORS_SINGLE, TORCH_INDEX, TORCH_SINGLE)) {
      if (Files.isRegularFile(dir.resolve(name))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The format of {@code path}, from its first bytes.
   *
   * @throws WeightFormatException for anything else
   */
  public static Format detect(Path path) throws IOException {
    byte[] head = new byte[9];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, head.length);
    }
    if (n == 0) {
      throw new WeightFormatException(path, "the file is empty; expected safetensors or a "
          + "torch.save checkpoint");
    }
    if (ZipArchive.hasZipMagic(head)) {
      return Format.TORCH_ZIP;
    }
    if (n == 9 && head[8] == '{') {
      long len = ByteBuffer.wrap(head, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (len > 0 && len <= SafetensorsFile.MAX_HEADER_BYTES) {
        return Format.SAFETENSORS;
      }
    }
    if ((head[0] & 0xFF) == 0x80 && n > 1 && (head[1] & 0xFF) <= 5) {
      throw new WeightFormatException(path, "legacy (pre-1.6, non-zip) torch.save format, which "
          + "this reader does not support; re-save it in Python with "
          + "torch.save(torch.load(path, map_location='cpu'), new_path)");
    }
    throw new WeightFormatException(path, "unknown weight file format (starts with "
        + hex(head, n) + "); expected safetensors (8-byte length, then '{') or a torch.save zip "
        + "archive ('PK')");
  }

  private static String hex(byte[] b, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < Math.min(n, 8); i++) {
      sb.append(String.format("%02x", b[i] & 0xFF));
    }
    return sb.toString();
  }
}
