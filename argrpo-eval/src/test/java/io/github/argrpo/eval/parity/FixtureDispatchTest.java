package io.github.argrpo.eval.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parity driver's dispatch: an unknown kind fails, every kind of the fixture set has a handler, a bad config fails. */
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
  void everyKindOfTheSharedFixturesHasARegisteredHandler() throws Exception {
    // the four kinds of fixtures/eval/README.md; a handler missing from META-INF/services would fail the suite
    List<EvalFixtureHandler> registered = ServiceLoader.load(EvalFixtureHandler.class).stream()
        .map(ServiceLoader.Provider::get).collect(Collectors.toList());
    for (String kind : List.of("adm-stats", "inception-fid", "aesthetic-mlp", "pickscore-head")) {
      assertThat(registered).as(kind).anyMatch(h -> h.handles(kind));
    }
  }

  @Test
  void anUnreadableConfigFails() throws Exception {
    DynamicTest t = only("z", "{not json");
    assertThatThrownBy(() -> t.getExecutable().execute()).isInstanceOf(AssertionError.class)
        .hasMessageContaining("config.json");
  }
}
