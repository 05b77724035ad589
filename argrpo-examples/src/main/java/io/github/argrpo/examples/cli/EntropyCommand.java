package io.github.argrpo.examples.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.Tensor;

import io.github.argrpo.core.condition.Condition;
import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.examples.export.EntropyReport;
import io.github.argrpo.examples.export.ImageSampler;
import io.github.argrpo.examples.run.LoadedModels;
import io.github.argrpo.examples.run.PromptFile;
import io.github.argrpo.examples.run.RunConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo export entropy}: mean per-token policy entropy over a class or prompt set (the paper's
 * entropy figures), written as JSON or CSV; see {@link EntropyReport}.
 */
@Command(name = "entropy", mixinStandardHelpOptions = true,
    description = {"Mean per-token policy entropy over a class or prompt set, to .json (with per-condition and per-position means) "
        + "or .csv.", "Samples with the config's trainer.sampling settings unless overridden; --distribution guided (the "
        + "CFG logits sampling drew from, AR-GRPO's logged metric) or conditional (what the GRPO loss scores)."})
public final class EntropyCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Mixin
  ConfigOptions config;

  @Mixin
  SamplingOptions sampling;

  @Option(names = "--classes", paramLabel = "LIST", description = "Classes (c2i; default: every class of the config).")
  String classes;

  @Option(names = "--prompts", paramLabel = "FILE", description = "Prompt file (t2i; default: the config's prompts).")
  Path prompts;

  @Option(names = {"-n", "--per-condition"}, defaultValue = "8", description = "Samples per class or prompt (default: ${DEFAULT-VALUE}).")
  int perCondition;

  @Option(names = "--distribution", defaultValue = "guided", description = "guided or conditional (default: ${DEFAULT-VALUE}).")
  String distribution;

  @Option(names = "--batch", defaultValue = "8", description = "Conditions per generation pass (default: ${DEFAULT-VALUE}).")
  int batch;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output .json or .csv.")
  Path out;

  @Option(names = "--no-progress", description = "Do not draw the progress display.")
  boolean noProgress;

  @Override
  public Integer call() throws Exception {
    String dist = distribution.trim().toLowerCase(Locale.ROOT);
    if (!dist.equals("guided") && !dist.equals("conditional")) {
      throw new ConfigException("--distribution must be guided or conditional, got '" + distribution + "'");
    }
    RunConfig c = config.load(false);
    try (LoadedModels m = LoadedModels.load(c)) {
      List<Condition> conds;
      if (m.isText()) {
        conds = m.textConditions(prompts == null ? m.prompts() : PromptFile.read(prompts));
      } else {
        conds = m.classConditions(Selections.classesOrAll(classes, "--classes", c.conditions().classes()));
      }
      EntropyReport report = new EntropyReport(dist);
      ImageSampler.run(m.policy(), m.vq(), conds, perCondition, sampling.apply(c.trainer().sampling()), batch, false,
          (first, chunk, r, raw) -> {
            List<String> labels = chunk.stream().map(Condition::describe).toList();
            if (dist.equals("guided")) {
              report.add(labels, perCondition, r.entropy());
            } else {
              try (PointerScope s = new PointerScope(); NoGradGuard g = new NoGradGuard()) {
                Tensor logits = m.policy().logits(r.sampleConditions(), r.tokens());
                report.add(labels, perCondition, EntropyReport.entropyOfLogits(logits));
              }
            }
          }, ProgressBar.counter(!noProgress, "entropy", conds.size()));
      report.write(out);
      PrintWriter o = spec.commandLine().getOut();
      o.println(String.format(Locale.ROOT, "mean %s entropy over %d conditions x %d samples: %.4f nats -> %s", dist,
          conds.size(), perCondition, report.mean(), out.toAbsolutePath()));
      o.flush();
    }
    return 0;
  }
}
