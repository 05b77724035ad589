package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * {@code argrpo train} settles the rank's device before it builds or even opens anything (rewards,
 * VQ, GPT): a model built first would land on the wrong GPU in a data-parallel run. Seen on the CPU
 * build through the order of the errors: a CUDA device that does not exist is reported before a
 * missing reward or VQ weight file, as one line with exit status 2.
 */
class TrainDevicePlacementTest {

  @TempDir
  Path dir;

  @Test
  void theDeviceIsResolvedBeforeAnyModelFileIsOpened() throws Exception {
    NativeRuntime.init();
    assumeFalse(NativeRuntime.cudaAvailable(), "needs a machine without CUDA");
    Path config = TinyRun.write(dir, false);
    Cli.Result r = Cli.run("train", "-c", config.toString(), "--out", dir.resolve("r").toString(), "--no-progress",
        "--set", "model.device=cuda", "--set", "vq.weights=" + dir.resolve("absent_vq.safetensors"),
        "--set", "rewards=[{name: clip, options: {weights: '" + dir.resolve("absent_clip.safetensors") + "', device: cuda}}]");
    assertThat(r.code()).as(r.err()).isEqualTo(2);
    assertThat(r.errorLines()).singleElement().asString().startsWith("argrpo train: ")
        .contains("device 'cuda'").contains("no CUDA device").contains("-Pgpu").doesNotContain("absent_vq")
        .doesNotContain("absent_clip");
    assertThat(r.hasStackTrace()).isFalse();
  }
}
