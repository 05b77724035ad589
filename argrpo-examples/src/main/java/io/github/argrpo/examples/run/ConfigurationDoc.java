package io.github.argrpo.examples.run;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.argrpo.core.config.ConfigSchema;

/**
 * Writes {@code docs/configuration.md}, the option tables of a run config, from the declarations
 * themselves ({@link RunFile}, its section records, {@code TrainerConfig}, {@code GrpoConfig},
 * {@code SamplingConfig}, {@code EvalConfig}, {@code RewardSpec}): key, type, default and the
 * component's description. {@code ConfigurationDocTest} fails when the page and the code disagree;
 * {@code mvn test -pl argrpo-examples -Dtest=ConfigurationDocTest -Dargrpo.docs.write=true} rewrites it.
 */
public final class ConfigurationDoc {

  private ConfigurationDoc() {
  }

  /** The page's text. */
  public static String markdown() {
    StringBuilder sb = new StringBuilder();
    sb.append("# Run config options\n\n")
        .append("<!-- generated from the config records by ConfigurationDoc; edit the declarations, then run\n")
        .append("     mvn test -pl argrpo-examples -am -Dtest=ConfigurationDocTest -Dsurefire.failIfNoSpecifiedTests=false "
            + "-Dargrpo.docs.write=true -->\n\n")
        .append("Every key a run config (`./argrpo train -c FILE`) takes, with its default: a key the file leaves out\n")
        .append("takes the default shown (the trainer's are the paper's, `TrainerConfig.arGrpoPaper()`). Any other key is an\n")
        .append("error that lists the keys allowed where it stands. `--set key.path=value` overrides a key on the command\n")
        .append("line; `./argrpo train ... --dry-run` prints the config resolved, every default spelled out, as the run\n")
        .append("folder's `config.yaml` keeps it. Where the paper and the released AR-GRPO code differ, the bundled\n")
        .append("configs follow the paper: `docs/reproducing.md` lists each difference and the `--set` line that follows\n")
        .append("the code.\n\n")
        .append("Non-finite numbers are written `nan`, `inf`, `-inf`. Enum values are lower case. A blank default means\n")
        .append("none (required, or taken from the preset or the model).\n");
    Map<String, List<ConfigSchema.Option>> sections = new LinkedHashMap<>();
    for (ConfigSchema.Option o : ConfigSchema.of(RunFile.class).options(RunFile.defaults())) {
      String top = o.key().contains(".") ? o.key().substring(0, o.key().indexOf('.')) : o.key();
      top = top.contains("[") ? top.substring(0, top.indexOf('[')) : top;
      sections.computeIfAbsent(top, k -> new ArrayList<>()).add(o);
    }
    for (Map.Entry<String, List<ConfigSchema.Option>> e : sections.entrySet()) {
      sb.append("\n## `").append(e.getKey()).append("`\n\n")
          .append("| key | type | default | what it does |\n| --- | --- | --- | --- |\n");
      for (ConfigSchema.Option o : e.getValue()) {
        sb.append("| `").append(o.key()).append("` | ").append(o.type()).append(" | ")
            .append(o.defaultValue().isEmpty() ? "" : "`" + o.defaultValue() + "`").append(" | ")
            .append(o.description().replace("|", "\\|")).append(" |\n");
      }
    }
    return sb.toString();
  }
}
