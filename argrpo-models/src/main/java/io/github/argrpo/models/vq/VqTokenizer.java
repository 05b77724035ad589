package io.github.argrpo.models.vq;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Device;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.runtime.Scopes;
import io.github.argrpo.core.tokenizer.Tokenizer;

/**
 * A {@link VqModel} as the core {@link Tokenizer} the trainer and the rewards program against: images in
 * {@code [0, 1]} to codes and back, with the reference's pixel conversions (AR-GRPO's
 * {@code clamp((x + 1) / 2, 0, 1)} hand-off and LlamaGen's uint8 conversion). It owns the model and
 * closes it.
 *
 * <pre>{@code
 * try (VqTokenizer vq = VqTokenizer.load(VqConfig.vq16(), Path.of("vq_ds16_c2i.pt"), Precision.FP32, DeviceSpec.CPU);
 *      PointerScope scope = new PointerScope()) {
 *   Tensor codes = vq.encode(images);              // (N, 256) int64 for 256 px
 *   Tensor rgb8 = vq.decodeToUint8(codes);         // (N, 256, 256, 3) uint8, LlamaGen's conversion
 * }
 * }</pre>
 */
public final class VqTokenizer implements Tokenizer {

  private final VqModel model;

  private VqTokenizer(VqModel model) {
    this.model = model;
  }

  /** The tokenizer of {@code model}, which it takes ownership of (closing the tokenizer closes it). */
  public static VqTokenizer of(VqModel model) {
    return new VqTokenizer(Objects.requireNonNull(model, "model"));
  }

  /** {@link VqLoader#load} as a tokenizer. */
  public static VqTokenizer load(VqConfig config, Path weights, Precision precision, DeviceSpec device)
      throws IOException {
    return of(VqLoader.load(config, weights, precision, device));
  }

  /** The network. */
  public VqModel model() {
    return model;
  }

  @Override
  public int codebookSize() {
    return model.codebookSize();
  }

  @Override
  public int downsampleFactor() {
    return model.downsampleFactor();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Images in {@code [0, 1]} are mapped to {@code [-1, 1]} with {@code (x - 0.5) / 0.5}, the reference's
   * {@code Normalize(mean=0.5, std=0.5)} preprocessing; the codes are {@code (N, h*w)} int64 on the model's
   * device, in the caller's scope.
   */
  @Override
  public Tensor encode(ImageBatch images) {
    try (NoGradGuard g = new NoGradGuard()) {
      PointerScope outer = Scopes.outer();
      try (PointerScope ignored = new PointerScope()) {
        Tensor x = images.tensor().sub(new Scalar(0.5)).div(new Scalar(0.5));
        return Scopes.handOut(model.encodeLatents(x).codes(), outer);
      }
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Computes {@code clamp((x + 1) / 2, 0, 1)} of the raw decoder output; the batch holds its own
   * reference and lives on the model's device.
   */
  @Override
  public ImageBatch decode(Tensor codes) {
    try (PointerScope ignored = new PointerScope()) {
      return ImageBatch.wrap(toUnitRange(model.decodeRaw(codes)));
    }
  }

  /**
   * Decodes square-grid codes to 8-bit images exactly as LlamaGen's sampling scripts save them:
   * {@link #toUint8}. Returns {@code (B, H, W, 3)} uint8 on the CPU, in the caller's scope.
   */
  public Tensor decodeToUint8(Tensor codes) {
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      return Scopes.handOut(toUint8(model.decodeRaw(codes)), outer);
    }
  }

  /**
   * LlamaGen's uint8 conversion ({@code sample_c2i_ddp.py}, the demo app):
   * {@code clamp(127.5 * x + 128.0, 0, 255)} then a cast to uint8, which truncates toward zero (so it is
   * round-half-up of {@code 127.5 x + 127.5}). {@code x (B, 3, H, W)} float, any device; returns
   * {@code (B, H, W, 3)} uint8 on the CPU, in the caller's scope.
   */
  public static Tensor toUint8(Tensor x) {
    PointerScope outer = Scopes.outer();
    try (PointerScope ignored = new PointerScope()) {
      Tensor y = x.to(ScalarType.Float).mul(new Scalar(127.5)).add(new Scalar(128.0));
      y = y.clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(255.0)));
      Tensor u = y.permute(0, 2, 3, 1).to(new Device("cpu"), ScalarType.Byte).contiguous();
      return Scopes.handOut(u, outer);
    }
  }

  /**
   * The AR-GRPO hand-off range: {@code clamp((x + 1) / 2, 0, 1)} of a raw decoder output, fp32, same device,
   * in the caller's scope.
   */
  public static Tensor toUnitRange(Tensor x) {
    return x.to(ScalarType.Float).add(new Scalar(1.0)).div(new Scalar(2.0))
        .clamp(new ScalarOptional(new Scalar(0.0)), new ScalarOptional(new Scalar(1.0)));
  }

  /** Closes the model. */
  @Override
  public void close() {
    model.close();
  }
}
