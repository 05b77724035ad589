package io.github.argrpo.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BestCheckpointTest {

  private static Path checkpoint(Path run, int step, String content) throws Exception {
    Path c = run.resolve("checkpoints").resolve(String.format("step-%06d", step));
    Files.createDirectories(c);
    Files.writeString(c.resolve("policy.pt"), content);
    Files.writeString(c.resolve("trainer.json"), "{\"step\": " + step + "}");
    return c;
  }

  @Test
  void followsTheLowestValueAndSurvivesThePruningOfItsCheckpoint(@TempDir Path run) throws Exception {
    BestCheckpoint b = new BestCheckpoint(run, "fid", false);
    assertThat(b.offer(10, 30.0, checkpoint(run, 10, "w10"))).isTrue();
    assertThat(b.offer(20, 25.5, checkpoint(run, 20, "w20"))).isTrue();
    assertThat(b.offer(30, 27.0, checkpoint(run, 30, "w30"))).isFalse();   // worse: pointer stays at 20
    assertThat(b.offer(40, Double.NaN, checkpoint(run, 40, "w40"))).isFalse();
    assertThat(Files.readString(run.resolve("best/policy.pt"))).isEqualTo("w20");
    assertThat(Files.readString(run.resolve("best/best.json"))).contains("\"step\": 20", "\"value\": 25.5",
        "\"mode\": \"min\"", "checkpoints/step-000020");
    // the trainer prunes old checkpoints: the best one's files must outlive its folder
    Files.delete(run.resolve("checkpoints/step-000020/policy.pt"));
    Files.delete(run.resolve("checkpoints/step-000020/trainer.json"));
    Files.delete(run.resolve("checkpoints/step-000020"));
    assertThat(Files.readString(run.resolve("best/policy.pt"))).isEqualTo("w20");
    // a resumed run continues from the recorded best
    BestCheckpoint again = new BestCheckpoint(run, "fid", false);
    assertThat(again.bestValue()).isEqualTo(25.5);
    assertThat(again.bestStep()).contains(20);
    assertThat(again.improves(26.0)).isFalse();
    assertThat(again.offer(50, 20.0, checkpoint(run, 50, "w50"))).isTrue();
    assertThat(Files.readString(run.resolve("best/policy.pt"))).isEqualTo("w50");
    assertThat(run.resolve(".tmp-best")).doesNotExist();
    assertThat(run.resolve(".old-best")).doesNotExist();
  }

  @Test
  void maxModeKeepsTheHighest(@TempDir Path run) throws Exception {
    BestCheckpoint b = new BestCheckpoint(run, "eval/shape", true);
    b.offer(5, 0.4, checkpoint(run, 5, "a"));
    b.offer(10, 0.7, checkpoint(run, 10, "b"));
    b.offer(15, 0.6, checkpoint(run, 15, "c"));
    assertThat(b.bestStep()).contains(10);
    assertThat(Files.readString(run.resolve("best/policy.pt"))).isEqualTo("b");
  }
}
