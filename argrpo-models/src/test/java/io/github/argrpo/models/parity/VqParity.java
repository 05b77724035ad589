package io.github.argrpo.models.parity;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkState;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.models.vq.VqConfig;
import io.github.argrpo.models.vq.VqEncoding;
import io.github.argrpo.models.vq.VqLoader;
import io.github.argrpo.models.vq.VqModel;

/**
 * Parity of {@link VqModel} with LlamaGen's {@code vq_model.py} on fixtures of kind {@code llamagen-vq}.
 *
 * <p>Everything is derived from the fixture: the architecture from {@code config.json} "model", the grid
 * from the io tensors' shapes, the tolerance from "tolerance.images_atol". Cases, each present only if the
 * fixture holds its tensors:
 *
 * <ul>
 *   <li>{@code enc}: {@code encodeLatents(enc.images)}; {@code enc.codes} exactly, {@code enc.quant} within
 *       the tolerance;
 *   <li>{@code dec}: {@code decode_code(dec.codes)} against {@code dec.images} (unclamped);
 *   <li>{@code recon}: {@code decode_code(enc.codes)} against {@code recon.images} (the fixture's codes, so a
 *       code mismatch is reported by {@code enc} alone).
 * </ul>
 */
public final class VqParity implements ParityHandler {

  private static final Pattern NORM = Pattern.compile("GroupNorm\\((\\d+)\\s*,\\s*eps\\s*=\\s*([0-9.eE+-]+)\\)");

  @Override
  public boolean handles(String kind) {
    return "llamagen-vq".equals(kind);
  }

  @Override
  public Stream<? extends DynamicNode> cases(Path fixtureDir, JsonNode config) throws Exception {
    String name = fixtureDir.getFileName().toString();
    VqConfig vq = vqConfig(config.path("model"));
    double atol = config.path("tolerance").path("images_atol").asDouble(1e-4);
    Path weights = fixtureDir.resolve("weights.safetensors");
    Path io = fixtureDir.resolve("io.safetensors");
    Set<String> keys;
    try (SafetensorsFile f = SafetensorsFile.open(io)) {
      keys = f.keys();
    }
    List<DynamicTest> tests = new ArrayList<>();
    if (keys.contains("enc.images") && keys.contains("enc.codes")) {
      tests.add(DynamicTest.dynamicTest(name + " / enc", () -> runEncode(vq, weights, io, atol, keys)));
    }
    if (keys.contains("dec.codes") && keys.contains("dec.images")) {
      tests.add(DynamicTest.dynamicTest(name + " / dec",
          () -> runDecode(vq, weights, io, "dec.codes", "dec.images", atol)));
    }
    if (keys.contains("recon.images") && keys.contains("enc.codes")) {
      tests.add(DynamicTest.dynamicTest(name + " / recon",
          () -> runDecode(vq, weights, io, "enc.codes", "recon.images", atol)));
    }
    checkState(!tests.isEmpty(), "%s: io.safetensors holds no enc/dec/recon tensors, got %s", name, keys);
    return tests.stream();
  }

  /** The architecture of a fixture's "model" object (LlamaGen ModelArgs names). */
  static VqConfig vqConfig(JsonNode m) {
    VqConfig.Builder b = VqConfig.builder()
        .channels(m.path("ch").asInt(128))
        .zChannels(m.path("z_channels").asInt(256))
        .numResBlocks(m.path("num_res_blocks").asInt(2))
        .codebookSize(m.path("codebook_size").asInt(16384))
        .codebookEmbedDim(m.path("codebook_embed_dim").asInt(8))
        .codebookL2Norm(m.path("codebook_l2_norm").asBoolean(true))
        .dropout(m.path("dropout_p").asDouble(0.0));
    if (m.has("ch_mult")) {
      b.channelMultipliers(ints(m.get("ch_mult")));
    }
    if (m.has("encoder_ch_mult")) {
      b.encoderChannelMultipliers(ints(m.get("encoder_ch_mult")));
    }
    if (m.has("decoder_ch_mult")) {
      b.decoderChannelMultipliers(ints(m.get("decoder_ch_mult")));
    }
    if (m.has("norm")) {
      Matcher mm = NORM.matcher(m.get("norm").asText());
      checkArgument(mm.find(), "unrecognized norm description '%s', expected like 'GroupNorm(32, eps=1e-6)'",
          m.get("norm").asText());
      b.normGroups(Integer.parseInt(mm.group(1))).normEps(Double.parseDouble(mm.group(2)));
    }
    return b.build();
  }

  private static List<Integer> ints(JsonNode arr) {
    List<Integer> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asInt()));
    return out;
  }

  private static void runEncode(VqConfig vq, Path weights, Path io, double atol, Set<String> keys) throws Exception {
    NativeRuntime.init();
    try (VqModel model = VqLoader.load(vq, weights, Precision.FP32, DeviceSpec.CPU);
        SafetensorsFile f = SafetensorsFile.open(io);
        PointerScope ignored = new PointerScope()) {
      Tensor images = f.read("enc.images");
      Tensor expectedCodes = f.read("enc.codes").to(ScalarType.Long);
      VqEncoding enc = model.encodeLatents(images);
      long[] got = longs(enc.codes());
      long[] want = longs(expectedCodes);
      assertThat(enc.codes().sizes().vec().get()).as("codes shape").containsExactly(
          expectedCodes.sizes().vec().get());
      assertThat(got).as("codes (exact)").containsExactly(want);
      if (keys.contains("enc.quant")) {
        assertClose(enc.quant(), f.read("enc.quant"), atol, "enc.quant");
      }
    }
  }

  private static void runDecode(VqConfig vq, Path weights, Path io, String codesKey, String imagesKey, double atol)
      throws Exception {
    NativeRuntime.init();
    try (VqModel model = VqLoader.load(vq, weights, Precision.FP32, DeviceSpec.CPU);
        SafetensorsFile f = SafetensorsFile.open(io);
        PointerScope ignored = new PointerScope()) {
      Tensor codes = f.read(codesKey);
      Tensor expected = f.read(imagesKey);
      long[] s = expected.sizes().vec().get();
      int f0 = vq.downsampleFactor();
      Tensor out = model.decodeRaw(codes, (int) (s[2] / f0), (int) (s[3] / f0));
      assertClose(out, expected, atol, imagesKey);
    }
  }

  private static void assertClose(Tensor actual, Tensor expected, double atol, String what) {
    assertThat(actual.sizes().vec().get()).as(what + " shape").containsExactly(expected.sizes().vec().get());
    double maxDiff = actual.to(ScalarType.Float).sub(expected.to(ScalarType.Float)).abs().max().item_double();
    assertThat(maxDiff).as(what + " max |diff| (atol " + atol + ")").isLessThanOrEqualTo(atol);
  }

  private static long[] longs(Tensor t) {
    Tensor c = t.to(ScalarType.Long).contiguous().reshape(-1);
    long[] out = new long[(int) c.numel()];
    new LongPointer(c.data_ptr_long()).get(out);
    return out;
  }
}
