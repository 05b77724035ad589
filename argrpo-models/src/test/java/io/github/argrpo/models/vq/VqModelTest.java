package io.github.argrpo.models.vq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.core.testing.Fixtures;
import io.github.argrpo.weights.SafetensorsFile;

/** Shapes, state-dict names, export, bf16 and input checks of {@link VqModel}. */
class VqModelTest {

  /** The architecture of the vq-tiny fixture. */
  static final VqConfig TINY = VqConfig.builder().channels(32).channelMultipliers(List.of(1, 1, 2)).zChannels(32)
      .codebookSize(64).build();
  static final Path FIXTURE = Fixtures.parityDir().resolve("vq-tiny");

  private static VqModel model;

  @BeforeAll
  static void load() throws Exception {
    NativeRuntime.init();
    model = VqLoader.load(TINY, FIXTURE.resolve("weights.safetensors"), Precision.FP32, DeviceSpec.CPU);
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Test
  void encodeThenDecodeHasTheTokenizerShapes() {
    try (PointerScope ignored = new PointerScope()) {
      torch.manual_seed(3);
      VqTokenizer tokenizer = VqTokenizer.of(model); // not closed here: the model is shared by the class
      try (ImageBatch images = ImageBatch.wrap(torch.rand(3, 3, 16, 16))) {
        Tensor codes = tokenizer.encode(images);
        assertThat(codes.sizes().vec().get()).containsExactly(3, 16);
        assertThat(Dtypes.is(codes, ScalarType.Long)).isTrue();
        assertThat(codes.min().item().toLong()).isGreaterThanOrEqualTo(0);
        assertThat(codes.max().item().toLong()).isLessThan(64);
        assertThat(tokenizer.gridSize(16)).isEqualTo(4);
        try (ImageBatch out = tokenizer.decode(codes)) {
          assertThat(out.count()).isEqualTo(3);
          assertThat(out.height()).isEqualTo(16);
          assertThat(out.width()).isEqualTo(16);
          assertThat(out.tensor().min().item_float()).isGreaterThanOrEqualTo(0f);
          assertThat(out.tensor().max().item_float()).isLessThanOrEqualTo(1f);
          // decode = clamp((raw + 1) / 2, 0, 1) of decodeRaw, and decodeToUint8 is (B, H, W, 3) uint8
          Tensor raw = model.decodeRaw(codes);
          assertThat(out.tensor().sub(VqTokenizer.toUnitRange(raw)).abs().max().item_float()).isZero();
          Tensor u8 = tokenizer.decodeToUint8(codes);
          assertThat(u8.sizes().vec().get()).containsExactly(3, 16, 16, 3);
          assertThat(Dtypes.is(u8, ScalarType.Byte)).isTrue();
        }
      }
    }
  }

  @Test
  void nonSquareGridsEncodeAndDecode() {
    try (PointerScope ignored = new PointerScope()) {
      VqEncoding enc = model.encodeLatents(torch.rand(1, 3, 8, 16).mul(new Scalar(2))
          .sub(new Scalar(1)));
      assertThat(enc.gridHeight()).isEqualTo(2);
      assertThat(enc.gridWidth()).isEqualTo(4);
      assertThat(enc.quant().sizes().vec().get()).containsExactly(1, 8, 2, 4);
      Tensor img = model.decodeRaw(enc.codes(), 2, 4);
      assertThat(img.sizes().vec().get()).containsExactly(1, 3, 8, 16);
      // the quantized latents are exactly what the codes look up
      assertThat(model.codesToLatents(enc.codes(), 2, 4).sub(enc.quant()).abs().max().item_float())
          .isLessThan(1e-6f);
    }
  }

  @Test
  void chunkedBatchesGiveTheSameResults() {
    try (PointerScope ignored = new PointerScope()) {
      torch.manual_seed(5);
      Tensor x = torch.rand(5, 3, 16, 16).mul(new Scalar(2)).sub(new Scalar(1));
      Tensor codes = torch.randint(64, new long[] {5, 16});
      VqEncoding whole = model.encodeLatents(x);
      Tensor wholeImages = model.decodeRaw(codes);
      model.setMaxBatch(2);
      try {
        VqEncoding chunked = model.encodeLatents(x);
        assertThat(torch.equal(chunked.codes(), whole.codes())).isTrue();
        assertThat(chunked.quant().sub(whole.quant()).abs().max().item_float()).isLessThan(1e-6f);
        Tensor chunkedImages = model.decodeRaw(codes);
        assertThat(chunkedImages.sizes().vec().get()).containsExactly(5, 3, 16, 16);
        assertThat(chunkedImages.sub(wholeImages).abs().max().item_float()).isLessThan(1e-5f);
      } finally {
        model.setMaxBatch(8);
      }
      assertThatThrownBy(() -> model.setMaxBatch(0)).hasMessageContaining("got 0");
    }
  }

  @Test
  void stateDictNamesAndShapesAreTheReferences() throws Exception {
    try (SafetensorsFile f = SafetensorsFile.open(FIXTURE.resolve("weights.safetensors"))) {
      Map<String, long[]> shapes = model.stateDictShapes();
      assertThat(shapes.keySet()).containsExactlyInAnyOrderElementsOf(f.keys());
      for (String k : f.keys()) {
        assertThat(shapes.get(k)).as(k).containsExactly(f.info(k).shape());
      }
    }
  }

  @Test
  void vq16AndVq8HaveTheReferenceKeyAndParameterCounts() {
    try (VqModel vq16 = VqModel.create(VqConfig.vq16(), Precision.FP32, DeviceSpec.CPU)) {
      assertThat(vq16.stateDictShapes()).hasSize(344);
      assertThat(vq16.parameterCount()).isEqualTo(71_883_403L);
      assertThat(vq16.stateDictShapes().get("decoder.conv_blocks.1.res.0.nin_shortcut.weight"))
          .containsExactly(256, 512, 1, 1);
      assertThat(vq16.stateDictShapes().get("encoder.conv_blocks.4.attn.1.proj_out.weight"))
          .containsExactly(512, 512, 1, 1);
    }
    try (VqModel vq8 = VqModel.create(VqConfig.vq8(), Precision.FP32, DeviceSpec.CPU)) {
      assertThat(vq8.stateDictShapes()).hasSize(300);
      assertThat(vq8.parameterCount()).isEqualTo(70_109_835L);
    }
  }

  @Test
  void exportWritesTheFixtureBackBitForBit(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("vq.safetensors");
    VqLoader.save(model, out);
    try (SafetensorsFile a = SafetensorsFile.open(FIXTURE.resolve("weights.safetensors"));
        SafetensorsFile b = SafetensorsFile.open(out);
        PointerScope ignored = new PointerScope()) {
      assertThat(b.keys()).containsExactlyInAnyOrderElementsOf(a.keys());
      for (String k : a.keys()) {
        assertThat(torch.equal(a.read(k), b.read(k))).as(k).isTrue();
        assertThat(b.info(k).dtype()).isEqualTo("F32");
      }
    }
  }

  @Test
  void bf16StaysCloseToFp32AndKeepsTheFp32Codebook() throws Exception {
    try (VqModel bf = VqLoader.load(TINY, FIXTURE.resolve("weights.safetensors"), Precision.BF16, DeviceSpec.CPU);
        SafetensorsFile io = SafetensorsFile.open(FIXTURE.resolve("io.safetensors"));
        PointerScope ignored = new PointerScope()) {
      assertThat(Dtypes.is(bf.quantizer().codebook(), ScalarType.Float)).isTrue();
      Tensor codes = io.read("dec.codes");
      Tensor a = bf.decodeRaw(codes);
      Tensor b = model.decodeRaw(codes);
      assertThat(Dtypes.is(a, ScalarType.Float)).isTrue();
      double diff = a.sub(b).abs().max().item_double();
      assertThat(diff).isGreaterThan(0.0).isLessThan(0.1);
      // most codes survive a bf16 encoder
      long same = bf.encodeLatents(io.read("enc.images")).codes().eq(io.read("enc.codes")).sum().item().toLong();
      assertThat(same).isGreaterThanOrEqualTo(24); // of 32
    }
  }

  @Test
  void badImagesAreRefusedWithTheShape() {
    try (PointerScope ignored = new PointerScope()) {
      assertThatThrownBy(() -> model.encodeLatents(torch.rand(1, 3, 14, 16)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("multiples of the downsample factor 4")
          .hasMessageContaining("[1, 3, 14, 16]");
      assertThatThrownBy(() -> model.encodeLatents(torch.rand(1, 1, 16, 16)))
          .hasMessageContaining("(B, 3, H, W)").hasMessageContaining("[1, 1, 16, 16]");
      assertThatThrownBy(() -> model.encodeLatents(torch.rand(3, 16, 16))).hasMessageContaining("[3, 16, 16]");
      assertThatThrownBy(() -> model.encodeLatents(torch.ones(1, 3, 16, 16).to(ScalarType.Long)))
          .hasMessageContaining("floating-point");
    }
  }

  @Test
  void badCodesAreRefusedWithWhatCame() {
    try (PointerScope ignored = new PointerScope()) {
      Tensor ok = torch.zeros(2, 16).to(ScalarType.Long);
      assertThatThrownBy(() -> model.decodeRaw(ok.clone().fill_(new Scalar(64))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 64)")
          .hasMessageContaining("from 64 to 64");
      assertThatThrownBy(() -> model.decodeRaw(ok.clone().fill_(new Scalar(-1))))
          .hasMessageContaining("from -1 to -1");
      assertThatThrownBy(() -> model.decodeRaw(torch.zeros(2, 16))).hasMessageContaining("int64 or int32");
      assertThatThrownBy(() -> model.decodeRaw(torch.zeros(2, 15).to(ScalarType.Long)))
          .hasMessageContaining("perfect-square");
      assertThatThrownBy(() -> model.decodeRaw(ok, 2, 4)).hasMessageContaining("(B, 8)")
          .hasMessageContaining("[2, 16]");
      assertThatThrownBy(() -> model.decodeRaw(torch.zeros(16).to(ScalarType.Long))).hasMessageContaining("2-D");
      // int32 codes, as LlamaGen's generate() returns, are accepted
      assertThat(model.decodeRaw(ok.to(ScalarType.Int)).size(0)).isEqualTo(2);
    }
  }

  @Test
  void aMismatchedStateDictNamesEveryBadKeyAndChangesNothing() {
    try (VqModel m = VqModel.create(TINY, Precision.FP32, DeviceSpec.CPU); PointerScope ignored = new PointerScope()) {
      Map<String, Tensor> sd = new LinkedHashMap<>(model.stateDict());
      sd.remove("decoder.conv_out.bias");
      sd.put("encoder.conv_in.weight", torch.zeros(32, 3, 1, 1));
      sd.put("decoder.extra.weight", torch.zeros(1));
      Tensor before = m.stateDict().get("decoder.conv_in.weight");
      assertThatThrownBy(() -> m.loadStateDict(sd)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("missing decoder.conv_out.bias [3]")
          .hasMessageContaining("shape of encoder.conv_in.weight: expected [32, 3, 3, 3], got [32, 3, 1, 1]")
          .hasMessageContaining("unexpected decoder.extra.weight")
          .hasMessageContaining("3 problem(s)");
      assertThat(torch.equal(m.stateDict().get("decoder.conv_in.weight"), before)).isTrue();
      // codebook_used is optional, as it is only a training statistic
      Map<String, Tensor> noUsage = new LinkedHashMap<>(model.stateDict());
      noUsage.remove(VqModel.CODEBOOK_USED_KEY);
      m.loadStateDict(noUsage);
      assertThat(torch.equal(m.stateDict().get("decoder.conv_in.weight"), noUsage.get("decoder.conv_in.weight")))
          .isTrue();
    }
  }

  @Test
  void loadingAFileOfAnotherArchitectureOrFormatFailsClearly(@TempDir Path dir) throws Exception {
    VqConfig other = TINY.toBuilder().zChannels(16).build();
    assertThatThrownBy(() -> VqLoader.load(other, FIXTURE.resolve("weights.safetensors"), Precision.FP32,
        DeviceSpec.CPU)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("weights.safetensors")
        .hasMessageContaining("shape of decoder.conv_in.weight: expected [64, 16, 3, 3], got [64, 32, 3, 3]");
    Path junk = dir.resolve("junk.pt");
    Files.write(junk, new byte[] {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7});
    assertThatThrownBy(() -> VqLoader.load(TINY, junk, Precision.FP32, DeviceSpec.CPU))
        .isInstanceOf(IOException.class).hasMessageContaining("junk.pt");
  }

  @Test
  void aModelCreatedInsideAScopeOutlivesIt() {
    VqModel m;
    try (PointerScope ignored = new PointerScope()) {
      m = VqModel.create(TINY, Precision.FP32, DeviceSpec.CPU);
      m.decodeRaw(torch.randint(64, new long[] {1, 16}));
    }
    System.gc();
    try (PointerScope ignored = new PointerScope()) {
      Tensor img = m.decodeRaw(torch.randint(64, new long[] {1, 16}));
      assertThat(Double.isFinite(img.abs().max().item_double())).isTrue();
      m.loadStateDict(model.stateDict());
      Tensor codes = torch.randint(64, new long[] {1, 16});
      assertThat(torch.equal(m.decodeRaw(codes), model.decodeRaw(codes))).isTrue();
    } finally {
      m.close();
    }
  }

  @Test
  void memoryStaysFlatOverRepeatedDecodes() {
    List<Long> rss = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (int i = 0; i < 3; i++) {
        try (PointerScope ignored = new PointerScope()) {
          model.decodeRaw(torch.randint(64, new long[] {2, 256})); // 2 images of 64 px: ~1 MB per activation
        }
      }
      rss.add(residentKb());
    }
    // after a warm-up round, 3 more decodes must not add more than 20 MB (a leak of the block outputs alone would be
    // about 15 MB per decode, of all temporaries about 50 MB)
    assertThat(rss.get(2) - rss.get(1)).isLessThan(20_000L);
  }

  private static long residentKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return 0;
  }
}
