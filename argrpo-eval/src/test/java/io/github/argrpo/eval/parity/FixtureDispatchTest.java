package io.github.argrpo.eval.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/** The parity driver's dispatch: an unknown kind fails, a pending one is skipped, a bad config fails. */
class FixtureDispatchTest {

  @TempDir
  Path dir;

  private DynamicTest only(String folder, String config) throws Exception {
    Path f = Files.createDirectories(dir.resolve(folder));
    Files.writeString(f.resolve("config.json"), config);
    List<? extends DynamicNode> nodes = EvalParityTest.forFolder(f, List.of(new AdmStatsHandler())).toList();
    assertThat(nodes).hasSize(1);
    return (DynamicTest) nodes.get(0);
  }

  @Test
  void aKindWithoutHandlerFails() throws Exception {
    DynamicTest t = only("x", "{\"kind\": \"nosuch\", \"cases\": []}");
    assertThat(t.getDisplayName()).contains("x").contains("nosuch");
    assertThatThrownBy(() -> t.getExecutable().execute()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("no EvalFixtureHandler for kind 'nosuch'");
  }

  @Test
  void aPendingKindIsSkippedWithItsReason() throws Exception {
    DynamicTest t = only("y", "{\"kind\": \"pickscore-head\", \"cases\": []}");
    assertThatThrownBy(() -> t.getExecutable().execute()).isInstanceOf(TestAbortedException.class)
        .hasMessageContaining("pickscore-head");
  }

  @Test
  void anUnreadableConfigFails() throws Exception {
    DynamicTest t = only("z", "{not json");
    assertThatThrownBy(() -> t.getExecutable().execute()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("config.json");
  }
}
