package io.github.argrpo.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.runtime.NativeRuntime;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.MemoryFormatOptional;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Round trips, the Python library's layout, and atomic replacement. */
class SafetensorsWriterTest {

  @TempDir Path tmp;

  @BeforeAll
  static void init() {
    NativeRuntime.init();
  }

  /** A random tensor to write: dtype, shape and the seed of its bytes. */
  record Spec(String name, SafetensorsDtype dtype, long[] shape, long seed) {
    @Override
    public String toString() {
      return name + ":" + dtype + Arrays.toString(shape) + "#" + seed;
    }
  }

  /** A tensor of {@code dtype} and {@code shape} whose bytes are random (0/1 for BOOL). */
  static Tensor randomTensor(SafetensorsDtype dtype, long[] shape, long seed) {
    Tensor t;
    try (TensorOptions o = new TensorOptions(dtype.scalarType());
        MemoryFormatOptional mf = new MemoryFormatOptional()) {
      t = torch.empty(shape, o, mf);
    }
    byte[] b = new byte[(int) t.nbytes()];
    new Random(seed).nextBytes(b);
    if (dtype == SafetensorsDtype.BOOL) {
      for (int i = 0; i < b.length; i++) {
        b[i] &= 1;
      }
    }
    if (b.length > 0) {
      new BytePointer(t.data_ptr()).capacity(b.length).put(b);
    }
    return t;
  }

  static byte[] bytes(Tensor t) {
    Tensor c = t.contiguous();
    byte[] out = new byte[(int) c.nbytes()];
    if (out.length > 0) {
      new BytePointer(c.data_ptr()).capacity(out.length).get(out);
    }
    return out;
  }

  static Gen<Spec> specs() {
    Gen<SafetensorsDtype> dtypes = Generate.enumValues(SafetensorsDtype.class);
    Gen<long[]> shapes = lists().of(integers().between(0, 5)).ofSizeBetween(0, 4)
        .map(l -> l.stream().mapToLong(Integer::longValue).toArray());
    Gen<String> names = strings().basicLatinAlphabet().ofLengthBetween(1, 6);
    return names.zip(dtypes, shapes, longs().all(), Spec::new);
  }

  @Test
  void roundTripIsBitExactForRandomShapesDtypesAndValues() {
    qt().withExamples(60).forAll(lists().of(specs()).ofSizeBetween(0, 6)).checkAssert(list -> {
      try (PointerScope scope = new PointerScope()) {
        Map<String, Tensor> in = new LinkedHashMap<>();
        for (Spec s : list) {
          in.put(s.name(), randomTensor(s.dtype(), s.shape(), s.seed()));
        }
        Path f = tmp.resolve("rt.safetensors");
        SafetensorsWriter.write(f, in, Map.of("format", "pt"));
        try (SafetensorsFile r = SafetensorsFile.open(f)) {
          assertThat(r.keys()).containsExactlyInAnyOrderElementsOf(in.keySet());
          assertThat(r.metadata()).containsExactly(Map.entry("format", "pt"));
          for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor back = r.read(e.getKey());
            assertThat(back.scalar_type().value).isEqualTo(e.getValue().scalar_type().value);
            assertThat(back.shape()).containsExactly(e.getValue().shape());
            assertThat(bytes(back)).isEqualTo(bytes(e.getValue()));
          }
        }
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Test
  void layoutFollowsThePythonLibrary() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> in = new LinkedHashMap<>();
      in.put("b.f32", randomTensor(SafetensorsDtype.F32, new long[] {3}, 1));
      in.put("a.f32", randomTensor(SafetensorsDtype.F32, new long[] {5}, 2));
      in.put("z.bool", randomTensor(SafetensorsDtype.BOOL, new long[] {3}, 3));
      in.put("c.i64", randomTensor(SafetensorsDtype.I64, new long[] {2, 1}, 4));
      in.put("d.bf16", randomTensor(SafetensorsDtype.BF16, new long[] {7}, 5));
      Path f = tmp.resolve("layout.safetensors");
      SafetensorsWriter.write(f, in);
      byte[] all = Files.readAllBytes(f);
      long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      assertThat(n % 8).isZero();
      String json = new String(all, 8, (int) n, StandardCharsets.UTF_8);
      assertThat(json).doesNotContain("__metadata__");
      JsonNode h = new ObjectMapper().readTree(json);
      List<String> order = new ArrayList<>();
      h.fieldNames().forEachRemaining(order::add);
      // descending dtype (I64 > F32 > BF16 > BOOL), then by name
      assertThat(order).containsExactly("c.i64", "a.f32", "b.f32", "d.bf16", "z.bool");
      long expect = 0;
      for (String k : order) {
        JsonNode off = h.get(k).get("data_offsets");
        assertThat(off.get(0).asLong()).isEqualTo(expect);
        expect = off.get(1).asLong();
      }
      assertThat(all.length).isEqualTo(8 + n + expect);
    }
  }

  @Test
  void bytesEqualTheFormatSpecificationForOneTensor() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      Tensor t = Tensor.create(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3);
      Path f = tmp.resolve("spec.safetensors");
      SafetensorsWriter.write(f, Map.of("attn0", t));
      String json = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
      int padded = (json.length() + 7) / 8 * 8;
      ByteBuffer expected = ByteBuffer.allocate(8 + padded + 24).order(ByteOrder.LITTLE_ENDIAN);
      expected.putLong(padded).put(json.getBytes(StandardCharsets.US_ASCII));
      for (int i = json.length(); i < padded; i++) {
        expected.put((byte) ' ');
      }
      for (int i = 0; i < 6; i++) {
        expected.putFloat(i);
      }
      assertThat(padded).isEqualTo(72);
      assertThat(Files.readAllBytes(f)).isEqualTo(expected.array());
    }
  }

  @Test
  void writesViewsGradTensorsAndReplacesAtomically() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      Tensor base = torch.arange(new Scalar(24)).to(ScalarType.Float)
          .reshape(4, 6);
      Tensor transposed = base.t();
      Tensor slice = base.narrow(1, 2, 3);
      Tensor grad = base.clone().set_requires_grad(true);
      Path f = tmp.resolve("views.safetensors");
      Files.writeString(f, "old content");
      SafetensorsWriter.write(f, Map.of("t", transposed, "s", slice, "g", grad));
      try (SafetensorsFile r = SafetensorsFile.open(f)) {
        assertThat(torch.equal(r.read("t"), transposed)).isTrue();
        assertThat(torch.equal(r.read("s"), slice)).isTrue();
        assertThat(torch.equal(r.read("g"), base)).isTrue();
        assertThat(r.info("t").shape()).containsExactly(6, 4);
      }
      try (Stream<Path> files = Files.list(tmp)) {
        assertThat(files.map(p -> p.getFileName().toString())).containsExactly("views.safetensors");
      }
    }
  }

  @Test
  void rejectsBadInputsWithoutTouchingTheTarget() throws IOException {
    try (PointerScope scope = new PointerScope()) {
      Path f = tmp.resolve("keep.safetensors");
      Files.writeString(f, "keep");
      Tensor complex = torch.view_as_complex(torch.ones(2, 2));
      assertThatThrownBy(() -> SafetensorsWriter.write(f, Map.of("c", complex)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'c'");
      assertThatThrownBy(() -> SafetensorsWriter.write(f, Map.of("__metadata__", torch.ones(1))))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
      assertThatThrownBy(() -> SafetensorsWriter.write(f, Map.of("u", new Tensor())))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("undefined");
      assertThat(Files.readString(f)).isEqualTo("keep");
      assertThat(tmp.toFile().list()).containsExactly("keep.safetensors");
    }
  }

  @Test
  void sortOrderIsDescendingDtypeThenName() {
    // SafetensorsDtype is declared in the Rust Dtype order; guard against reordering
    assertThat(Arrays.stream(SafetensorsDtype.values()).map(Enum::name))
        .containsExactly("BOOL", "U8", "I8", "F8_E5M2", "F8_E4M3", "I16", "U16", "F16", "BF16",
            "I32", "U32", "F32", "F64", "I64", "U64");
    assertThat(Arrays.stream(SafetensorsDtype.values())
        .sorted(Comparator.reverseOrder()).findFirst()).contains(SafetensorsDtype.U64);
  }

  @Test
  void streamWritesTensorsInLayoutOrderAndReadsBack() throws IOException {
    Path f = tmp.resolve("stream.safetensors");
    List<TensorInfo> layout = List.of(new TensorInfo("b.weight", "BF16", new long[] {3, 5}),
        new TensorInfo("a.mask", "BOOL", new long[] {7}), new TensorInfo("c", "F32", new long[] {2, 2}));
    try (PointerScope scope = new PointerScope(); SafetensorsWriter.Stream out = SafetensorsWriter.stream(f, layout, Map.of("k", "v"))) {
      Tensor b = randomTensor(SafetensorsDtype.BF16, new long[] {3, 5}, 1);
      Tensor a = randomTensor(SafetensorsDtype.BOOL, new long[] {7}, 2);
      Tensor c = randomTensor(SafetensorsDtype.F32, new long[] {2, 2}, 3);
      assertThat(Files.exists(f)).isFalse();
      out.write("b.weight", b);
      assertThatThrownBy(() -> out.write("c", c)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("expected 'a.mask'");
      assertThatThrownBy(out::commit).isInstanceOf(IllegalStateException.class).hasMessageContaining("'a.mask'");
      out.write("a.mask", a);
      out.write("c", c);
      out.commit();
      try (SafetensorsFile back = SafetensorsFile.open(f)) {
        assertThat(back.metadata()).containsEntry("k", "v");
        assertThat(back.read("b.weight").equal(b)).isTrue();
        assertThat(back.read("a.mask").equal(a)).isTrue();
        assertThat(back.read("c").equal(c)).isTrue();
      }
    }
  }

  @Test
  void streamRejectsWrongTensorsAndLeavesNothingWhenNotCommitted() throws IOException {
    Path f = tmp.resolve("partial.safetensors");
    List<TensorInfo> layout = List.of(new TensorInfo("x", "F32", new long[] {4}), new TensorInfo("y", "F32", new long[] {4}));
    try (PointerScope scope = new PointerScope(); SafetensorsWriter.Stream out = SafetensorsWriter.stream(f, layout, Map.of())) {
      assertThatThrownBy(() -> out.write("x", randomTensor(SafetensorsDtype.F32, new long[] {5}, 1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("declared F32 [4]");
      assertThatThrownBy(() -> out.write("x", randomTensor(SafetensorsDtype.BF16, new long[] {4}, 1)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("BF16");
      out.write("x", randomTensor(SafetensorsDtype.F32, new long[] {4}, 1));
    }
    assertThat(Files.exists(f)).isFalse();
    try (Stream<Path> left = Files.list(tmp)) {
      assertThat(left).isEmpty();
    }
    assertThatThrownBy(() -> SafetensorsWriter.stream(f, List.of(new TensorInfo("x", "F32", new long[] {1}),
        new TensorInfo("x", "F32", new long[] {1})), Map.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("declared twice");
  }
}
