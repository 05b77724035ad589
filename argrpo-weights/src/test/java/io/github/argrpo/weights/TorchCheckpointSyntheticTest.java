package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints built byte by byte as {@code torch.save} writes them, covering what the Python-made
 * fixtures do not: OrderedDict state dicts with {@code _metadata}, Parameters, views with offsets and
 * strides, shared storages, 0-dim and empty tensors, unsupported dtypes, optimizer state,
 * {@code argparse.Namespace}, big ints, an {@code ema} entry, zip64 records and offsets beyond 4 GB.
 */
class TorchCheckpointSyntheticTest {

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  static long[] s(long... v) {
    return v;
  }

  /** The pickle of a training checkpoint {'model': OrderedDict, 'optimizer', 'args', ...}. */
  static byte[] trainingCheckpointPickle() {
    PickleBuilder p = new PickleBuilder();
    p.op('}').put().mark();
    p.str("model").orderedDict().mark();
    p.str("a").tensor("FloatStorage", "0", 12, 0, s(3, 4), s(4, 1));
    p.str("a_t").tensor("FloatStorage", "0", 12, 0, s(4, 3), s(1, 4));
    p.str("b").tensor("FloatStorage", "0", 12, 2, s(2), s(3));
    p.str("c").tensor("LongStorage", "1", 3, 0, s(3), s(1));
    p.str("d").global("torch._utils", "_rebuild_parameter").mark()
        .tensor("HalfStorage", "2", 2, 0, s(2), s(1)).op(0x88).orderedDict().op('t').put().op('R').put();
    p.str("e").tensor("ComplexFloatStorage", "3", 1, 0, s(1), s(1));
    p.str("scalar").tensor("LongStorage", "1", 3, 1, s(), s());
    p.str("empty").tensor("FloatStorage", "0", 12, 0, s(0, 4), s(4, 1));
    p.op('u');
    // state_dict()._metadata, applied with BUILD
    p.op('}').put().str("_metadata").orderedDict().mark().str("").op('}').put().str("version")
        .integer(1).op('s').op('u').op('s').op('b');
    p.str("optimizer").op('}').put().mark();
    p.str("state").op('}').put().integer(0).op('}').put().mark().str("step").integer(5)
        .str("exp_avg").tensor("FloatStorage", "4", 2, 0, s(2), s(1)).op('u').op('s');
    p.str("param_groups").op(']').put().op('}').put().mark().str("lr").floating(1e-3).str("betas")
        .floating(0.9).floating(0.95).op(0x86).put().op('u').op('a');
    p.op('u');
    p.str("args").global("argparse", "Namespace").op(')').op(0x81).put().op('}').put().mark()
        .str("lr").floating(1e-4).str("gpt_model").str("GPT-B").op('u').op('b');
    p.str("steps").integer(1000);
    p.str("big").op(0x8a).op(9).raw(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0x40});
    p.str("ema").orderedDict().mark().str("a").tensor("FloatStorage", "5", 2, 0, s(2), s(1)).op('u');
    p.op('u').op('.');
    return p.bytes();
  }

  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b.array();
  }

  static byte[] longs(long... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (long x : v) {
      b.putLong(x);
    }
    return b.array();
  }

  static TorchZipBuilder trainingCheckpoint(long gapBeforeEma) {
    float[] f0 = new float[12];
    for (int i = 0; i < 12; i++) {
      f0[i] = i;
    }
    return new TorchZipBuilder()
        .add("ckpt/data.pkl", trainingCheckpointPickle())
        .add("ckpt/byteorder", "little".getBytes(StandardCharsets.US_ASCII))
        .add("ckpt/data/0", floats(f0))
        .add("ckpt/data/1", longs(7, -8, 9))
        .add("ckpt/data/2", new byte[] {0x00, 0x3E, 0x00, (byte) 0xC0}) // fp16 1.5, -2
        .add("ckpt/data/3", new byte[8])
        .add("ckpt/data/4", floats(0.25f, 0.5f))
        .addAfterGap("ckpt/data/5", floats(42f, 43f), gapBeforeEma)
        .add("ckpt/version", "3\n".getBytes(StandardCharsets.US_ASCII));
  }

  static void assertTrainingCheckpoint(Path file) throws IOException {
    try (TorchCheckpointReader r = TorchCheckpointReader.open(file);
        PointerScope scope = new PointerScope()) {
      assertThat(r.stateDictEntry()).isEqualTo("model");
      assertThat(r.topLevelKeys()).containsExactly("model", "optimizer", "args", "steps", "big", "ema");
      assertThat(r.keys()).containsExactly("a", "a_t", "b", "c", "d", "scalar", "empty");
      Tensor a = torch.arange(new Scalar(12)).to(ScalarType.Float).reshape(3, 4);
      assertThat(torch.equal(r.read("a"), a)).isTrue();
      Tensor at = r.read("a_t");
      assertThat(at.is_contiguous()).isTrue();
      assertThat(torch.equal(at, a.t())).isTrue();
      float[] b = new float[2];
      r.read("b").data_ptr_float().get(b);
      assertThat(b).containsExactly(2f, 5f);
      long[] c = new long[3];
      r.read("c").data_ptr_long().get(c);
      assertThat(c).containsExactly(7, -8, 9);
      Tensor d = r.read("d");
      assertThat(r.info("d").dtype()).isEqualTo("F16");
      float[] dv = new float[2];
      d.to(ScalarType.Float).data_ptr_float().get(dv);
      assertThat(dv).containsExactly(1.5f, -2f);
      Tensor scalar = r.read("scalar");
      assertThat(scalar.dim()).isZero();
      assertThat(scalar.item_long()).isEqualTo(-8);
      assertThat(r.read("empty").shape()).containsExactly(0, 4);
    }
    try (TorchCheckpointReader ema = TorchCheckpointReader.open(file, "ema");
        PointerScope scope = new PointerScope()) {
      assertThat(ema.keys()).containsExactly("a");
      float[] v = new float[2];
      ema.read("a").data_ptr_float().get(v);
      assertThat(v).containsExactly(42f, 43f);
    }
  }

  @Test
  void readsTrainingCheckpointWithOrderedDictNamespaceAndViews() throws IOException {
    Path f = tmp.resolve("train.pt");
    trainingCheckpoint(0).write(f);
    assertTrainingCheckpoint(f);
  }

  @Test
  void readsZip64Records() throws IOException {
    Path f = tmp.resolve("zip64.pt");
    trainingCheckpoint(0).zip64(true).write(f);
    assertTrainingCheckpoint(f);
  }

  @Test
  void readsEntriesBeyondFourGigabytes() throws IOException {
    assumeTrue(Files.getFileStore(tmp).getUsableSpace() > (6L << 30),
        "needs room for a 4.5 GB file in case the file system does not support sparse files");
    Path f = tmp.resolve("big.pt");
    try {
      trainingCheckpoint(9L << 29).write(f); // 4.5 GB hole
    } catch (IOException e) {
      assumeTrue(false, "file system refused a sparse file: " + e);
    }
    try {
      assertThat(Files.size(f)).isGreaterThan(1L << 32);
      assertTrainingCheckpoint(f);
    } finally {
      Files.deleteIfExists(f);
    }
  }

  @Test
  void refusesLegacyFormatWithAHint() throws IOException {
    Path f = Files.write(tmp.resolve("legacy.pt"),
        new byte[] {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9});
    assertThatThrownBy(() -> TorchCheckpointReader.open(f)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("legacy.pt").hasMessageContaining("legacy")
        .hasMessageContaining("re-save");
  }

  @Test
  void refusesZipWithoutDataPkl() throws IOException {
    Path f = tmp.resolve("nopkl.pt");
    new TorchZipBuilder().add("x/version", "3\n".getBytes(StandardCharsets.US_ASCII)).write(f);
    assertThatThrownBy(() -> TorchCheckpointReader.open(f)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("data.pkl");
    Path js = tmp.resolve("script.pt");
    new TorchZipBuilder().add("m/constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'}).write(js);
    assertThatThrownBy(() -> TorchCheckpointReader.open(js)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("TorchScript");
  }

  @Test
  void refusesMissingOrTooSmallStorages() throws IOException {
    PickleBuilder p = new PickleBuilder();
    p.op('}').put().str("w").tensor("FloatStorage", "0", 4, 0, s(2, 2), s(2, 1)).op('s').op('.');
    Path missing = tmp.resolve("missing.pt");
    new TorchZipBuilder().add("a/data.pkl", p.bytes()).write(missing);
    assertThatThrownBy(() -> TorchCheckpointReader.open(missing))
        .isInstanceOf(WeightFormatException.class).hasMessageContaining("'w'")
        .hasMessageContaining("a/data/0");
    Path small = tmp.resolve("small.pt");
    new TorchZipBuilder().add("a/data.pkl", p.bytes()).add("a/data/0", floats(1, 2, 3)).write(small);
    assertThatThrownBy(() -> TorchCheckpointReader.open(small))
        .isInstanceOf(WeightFormatException.class).hasMessageContaining("'w'")
        .hasMessageContaining("only 12 bytes");
    PickleBuilder q = new PickleBuilder();
    q.op('}').put().str("w").tensor("FloatStorage", "0", 4, 1, s(2, 2), s(2, 1)).op('s').op('.');
    Path view = tmp.resolve("view.pt");
    new TorchZipBuilder().add("a/data.pkl", q.bytes()).add("a/data/0", floats(1, 2, 3, 4)).write(view);
    assertThatThrownBy(() -> TorchCheckpointReader.open(view))
        .isInstanceOf(WeightFormatException.class).hasMessageContaining("storage of 4");
  }

  @Test
  void nonDictOrTensorlessCheckpointsAreExplained() throws IOException {
    PickleBuilder p = new PickleBuilder();
    p.op('}').put().str("steps").integer(3).op('s').op('.');
    Path f = tmp.resolve("nothing.pt");
    new TorchZipBuilder().add("a/data.pkl", p.bytes()).write(f);
    assertThatThrownBy(() -> TorchCheckpointReader.open(f)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("no tensors").hasMessageContaining("steps");
    PickleBuilder l = new PickleBuilder();
    l.op(']').op('.');
    Path g = tmp.resolve("list.pt");
    new TorchZipBuilder().add("a/data.pkl", l.bytes()).write(g);
    assertThatThrownBy(() -> TorchCheckpointReader.open(g)).isInstanceOf(WeightFormatException.class)
        .hasMessageContaining("expected a dict");
  }

  @Test
  void aStateDictWrapperAsInTheHpsCheckpointsIsUnwrapped() throws IOException {
    // HPS_v2.1_compressed.pt is torch.save({"state_dict": model.state_dict()}) with open_clip names
    PickleBuilder p = new PickleBuilder();
    p.op('}').put().mark();
    p.str("state_dict").orderedDict().mark();
    p.str("visual.proj").tensor("FloatStorage", "0", 6, 0, s(3, 2), s(2, 1));
    p.str("logit_scale").tensor("FloatStorage", "1", 1, 0, s(), s());
    p.op('u');
    p.op('u').op('.');
    Path f = tmp.resolve("hps.pt");
    new TorchZipBuilder().add("hps/data.pkl", p.bytes())
        .add("hps/byteorder", "little".getBytes(StandardCharsets.US_ASCII))
        .add("hps/data/0", floats(1, 2, 3, 4, 5, 6))
        .add("hps/data/1", floats(4.6052f))
        .add("hps/version", "3\n".getBytes(StandardCharsets.US_ASCII)).write(f);
    try (WeightSource w = WeightFiles.open(f); PointerScope scope = new PointerScope()) {
      assertThat(w).isInstanceOf(TorchCheckpointReader.class);
      assertThat(((TorchCheckpointReader) w).stateDictEntry()).isEqualTo("state_dict");
      assertThat(w.keys()).containsExactly("visual.proj", "logit_scale");
      float[] v = new float[6];
      w.read("visual.proj").data_ptr_float().get(v);
      assertThat(v).containsExactly(1, 2, 3, 4, 5, 6);
      assertThat(w.info("visual.proj").shape()).containsExactly(3, 2);
    }
  }
}
