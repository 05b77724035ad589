package io.github.argrpo.core.build;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The BOM has no parent, so it spells out the Bytedeco versions the build uses: they must stay the
 * parent pom's, or a consumer importing the BOM would get natives the SDK was not tested with.
 */
class BomVersionsTest {

  private static String property(Path pom, String name) throws Exception {
    Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(pom));
    assertThat(m.find()).as(name + " in " + pom).isTrue();
    return m.group(1).trim();
  }

  @ParameterizedTest
  @ValueSource(strings = {"pytorch.version", "javacpp.version", "openblas.version", "cuda.version"})
  void bomPinsTheBuildsVersion(String property) throws Exception {
    Path root = Path.of(System.getProperty("argrpo.repo.root", ".."));
    assertThat(property(root.resolve("argrpo-bom/pom.xml"), property))
        .isEqualTo(property(root.resolve("pom.xml"), property));
  }
}
