package io.github.argrpo.core.train.tensorboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.train.RunFolder;
import io.github.argrpo.core.train.StepRecord;

/**
 * A logged run read back by two readers that share nothing with the writer: {@link EventFileDecoder}
 * (Java, always) and {@code src/test/python/read_tfevents.py} (Python standard library, skipped without
 * {@code /usr/bin/python3}). The expected tags are TRL's GRPOTrainer names written out by hand.
 */
class TensorBoardListenerTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir
  Path dir;

  /** metrics.jsonl keys of one step and the tag TRL gives each (trl/trainer/grpo_trainer.py, under train/). */
  private static final Map<String, String> EXPECTED_TAGS = new LinkedHashMap<>();

  static {
    EXPECTED_TAGS.put("reward_mean", "train/reward");
    EXPECTED_TAGS.put("reward_std", "train/reward_std");
    EXPECTED_TAGS.put("reward/clip", "train/rewards/clip/mean");
    EXPECTED_TAGS.put("kl", "train/kl");
    EXPECTED_TAGS.put("entropy", "train/entropy");
    EXPECTED_TAGS.put("clip_fraction_low", "train/clip_ratio/low_mean");
    EXPECTED_TAGS.put("clip_fraction_high", "train/clip_ratio/high_mean");
    EXPECTED_TAGS.put("zero_std_fraction", "train/frac_reward_zero_std");
    EXPECTED_TAGS.put("seconds_sampling", "train/seconds_sampling");
  }

  private Path logRun() throws IOException {
    RunFolder folder = RunFolder.create(dir.resolve("run"));
    try (TensorBoardListener tb = new TensorBoardListener(folder)) {
      writeGrid(folder.sampleGrid(0), 6, 4);   // written by the trainer before onStart
      tb.onStart(1, 2);
      tb.onStep(record(1, 0.5));
      writeGrid(folder.sampleGrid(2), 6, 4);
      tb.onSampleGrid(2, folder.sampleGrid(2));
      tb.onStep(record(2, 0.75));
      tb.onEnd();
      return tb.file();
    }
  }

  private static StepRecord record(int step, double reward) {
    Map<String, Double> m = new LinkedHashMap<>();
    int i = 0;
    for (String k : EXPECTED_TAGS.keySet()) {
      m.put(k, k.equals("reward_mean") ? reward : k.equals("kl") ? Double.NaN : 0.125 * ++i);
    }
    return new StepRecord(step, m);
  }

  private static void writeGrid(Path file, int w, int h) throws IOException {
    ImageIO.write(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), "png", file.toFile());
  }

  @Test
  void javaReaderSeesVersionScalarsAndGrids() throws IOException {
    Path file = logRun();
    assertThat(file.getFileName().toString()).startsWith("events.out.tfevents.");
    List<EventFileDecoder.Event> events = EventFileDecoder.read(file);
    assertThat(events.get(0).fileVersion()).isEqualTo("brain.Event:2");
    assertThat(events.get(0).wallTime()).isGreaterThan(1.6e9);

    Map<Long, Map<String, Float>> scalars = new LinkedHashMap<>();
    List<Long> imageSteps = new ArrayList<>();
    for (EventFileDecoder.Event e : events.subList(1, events.size())) {
      for (EventFileDecoder.Value v : e.values()) {
        if (v.png() != null) {
          assertThat(v.tag()).isEqualTo("samples");
          assertThat(new int[] {v.width(), v.height(), v.colorspace()}).containsExactly(6, 4, 3);
          assertThat(ImageIO.read(new ByteArrayInputStream(v.png())).getWidth()).isEqualTo(6);
          imageSteps.add(e.step());
        } else {
          scalars.computeIfAbsent(e.step(), s -> new LinkedHashMap<>()).put(v.tag(), v.simpleValue());
        }
      }
    }
    assertThat(imageSteps).containsExactly(0L, 2L);
    assertThat(scalars.keySet()).containsExactly(1L, 2L);
    assertThat(scalars.get(1L).keySet()).containsExactlyElementsOf(EXPECTED_TAGS.values());
    assertThat(scalars.get(1L).get("train/reward")).isEqualTo(0.5f);
    assertThat(scalars.get(2L).get("train/reward")).isEqualTo(0.75f);
    assertThat(scalars.get(2L).get("train/reward_std")).isEqualTo(0.125f);
    assertThat(scalars.get(1L).get("train/kl")).isNaN();
  }

  @Test
  void gridsOfAResumedRunAreNotLoggedTwice() throws IOException {
    RunFolder folder = RunFolder.create(dir.resolve("resumed"));
    writeGrid(folder.sampleGrid(0), 2, 2);
    try (TensorBoardListener tb = new TensorBoardListener(folder)) {
      tb.onStart(1, 1);
      tb.onStep(record(1, 1.0));
      tb.onEnd();
      long images = EventFileDecoder.read(tb.file()).stream().flatMap(e -> e.values().stream())
          .filter(v -> v.png() != null).count();
      assertThat(images).isZero();
    }
  }

  @Test
  void decoderCrcMatchesRfc3720() {
    assertThat(EventFileDecoder.crc32c(new byte[32])).isEqualTo(0x8A9136AA);
  }

  @Test
  void pythonReaderSeesEveryScalarAndTheGrids() throws Exception {
    assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3");
    Path file = logRun();
    Path script = Path.of("src/test/python/read_tfevents.py").toAbsolutePath();
    Process p = new ProcessBuilder(PYTHON.toString(), script.toString(), file.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : out.split("\n")) {
      events.add(json.readTree(line));
    }
    assertThat(events.get(0).get("file_version").asText()).isEqualTo("brain.Event:2");
    List<String> step1Tags = new ArrayList<>();
    List<Long> imageSteps = new ArrayList<>();
    for (JsonNode e : events.subList(1, events.size())) {
      for (JsonNode v : e.get("values")) {
        if (v.has("image")) {
          assertThat(v.get("image").get("png_signature_ok").asBoolean()).isTrue();
          assertThat(v.get("image").get("width").asInt()).isEqualTo(6);
          imageSteps.add(e.get("step").asLong());
        } else if (e.get("step").asLong() == 1) {
          step1Tags.add(v.get("tag").asText());
          if (v.get("tag").asText().equals("train/reward")) {
            assertThat(v.get("simple_value").asDouble()).isEqualTo(0.5);
          }
        }
      }
    }
    assertThat(step1Tags).containsExactlyElementsOf(EXPECTED_TAGS.values());
    assertThat(imageSteps).containsExactly(0L, 2L);
  }
}
