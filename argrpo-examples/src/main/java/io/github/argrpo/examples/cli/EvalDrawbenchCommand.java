package io.github.argrpo.examples.cli;

import static com.google.common.base.Preconditions.checkArgument;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.eval.drawbench.DrawbenchEvaluation;
import io.github.argrpo.eval.drawbench.DrawbenchScorer;
import io.github.argrpo.eval.drawbench.PixelConversion;
import io.github.argrpo.eval.drawbench.PromptFolder;
import io.github.argrpo.eval.drawbench.RewardScorer;
import io.github.argrpo.eval.drawbench.ScorerInfo;
import io.github.argrpo.eval.drawbench.aesthetic.AestheticMlp;
import io.github.argrpo.eval.drawbench.aesthetic.AestheticScorer;
import io.github.argrpo.eval.drawbench.clients.DeqaClient;
import io.github.argrpo.eval.drawbench.clients.UnifiedRewardClient;
import io.github.argrpo.eval.drawbench.imagereward.ImageRewardScorer;
import io.github.argrpo.eval.drawbench.imagereward.WordPieceTokenizer;
import io.github.argrpo.eval.drawbench.pickscore.PickScoreScorer;
import io.github.argrpo.rewards.clip.ClipConfig;
import io.github.argrpo.rewards.clip.ClipModel;
import io.github.argrpo.rewards.clip.ClipScoreReward;
import io.github.argrpo.rewards.clip.ClipTextCleaning;
import io.github.argrpo.rewards.clip.ClipTokenizer;
import io.github.argrpo.rewards.hps.HpsReward;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo eval drawbench <folder>}: the seven DrawBench columns of Table 4 over a folder with
 * {@code prompts.jsonl} (as {@code argrpo export drawbench} writes it). Each scorer runs when its weights
 * or server are given and is otherwise skipped with the reason in the summary; {@code <out>/scores.jsonl}
 * holds one line per image, {@code <out>/summary.json} the means, Table 4's values and the protocol.
 */
@Command(name = "drawbench", mixinStandardHelpOptions = true,
    description = {"Scores a prompt folder (prompts.jsonl + images) with the DrawBench metrics of AR-GRPO's Table 4:",
        "CLIP score, HPSv2.1, PickScore, ImageReward, DeQA, LAION aesthetic, UnifiedReward.",
        "Scorers without weights or server are skipped and listed in summary.json."})
public final class EvalDrawbenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FOLDER", description = "Folder with prompts.jsonl (argrpo export drawbench).")
  Path folder;

  @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: FOLDER/eval).")
  Path out;

  @Option(names = "--bpe-vocab", paramLabel = "FILE",
      description = "CLIP tokenizer bpe_simple_vocab_16e6.txt.gz; needed by CLIP, HPSv2 and PickScore.")
  Path bpeVocab;

  @Option(names = "--clip-weights", paramLabel = "FILE", description = "CLIP ViT-B/32 safetensors (openai/clip-vit-base-patch32).")
  Path clipWeights;

  @Option(names = "--clip-config", paramLabel = "NAME|FILE", defaultValue = "vit-b-32",
      description = "CLIP score architecture: vit-b-32, vit-l-14, vit-h-14 or a JSON file of ClipConfig fields (default: ${DEFAULT-VALUE}).")
  String clipConfig;

  @Option(names = "--hps-weights", paramLabel = "FILE", description = "HPSv2.1 checkpoint (HPS_v2.1_compressed.pt or safetensors).")
  Path hpsWeights;

  @Option(names = "--hps-config", paramLabel = "NAME|FILE", defaultValue = "vit-h-14", description = "HPS architecture (default: ${DEFAULT-VALUE}).")
  String hpsConfig;

  @Option(names = "--pickscore-weights", paramLabel = "FILE", description = "yuvalkirstain/PickScore_v1 model.safetensors (Hugging Face CLIPModel).")
  Path pickscoreWeights;

  @Option(names = "--pickscore-config", paramLabel = "NAME|FILE", defaultValue = "vit-h-14",
      description = "PickScore architecture (default: ${DEFAULT-VALUE}).")
  String pickscoreConfig;

  @Option(names = "--aesthetic-clip", paramLabel = "FILE", description = "openai/clip-vit-large-patch14 model.safetensors (the aesthetic backbone).")
  Path aestheticClip;

  @Option(names = "--aesthetic-config", paramLabel = "NAME|FILE", defaultValue = "vit-l-14",
      description = "Aesthetic backbone architecture (default: ${DEFAULT-VALUE}).")
  String aestheticConfig;

  @Option(names = "--aesthetic-mlp", paramLabel = "FILE", description = "sac+logos+ava1-l14-linearMSE.pth (or safetensors).")
  Path aestheticMlp;

  @Option(names = "--imagereward", paramLabel = "FILE", description = "ImageReward TorchScript export (docs/evaluation.md).")
  Path imageReward;

  @Option(names = "--bert-vocab", paramLabel = "FILE", description = "bert-base-uncased vocab.txt, for ImageReward.")
  Path bertVocab;

  @Option(names = "--unireward-url", paramLabel = "URL", description = "UnifiedReward server, OpenAI API root (AR-GRPO: " + UnifiedRewardClient.DEFAULT_URL + ").")
  URI uniRewardUrl;

  @Option(names = "--deqa-url", paramLabel = "URL", description = "DeQA reward server (AR-GRPO: " + DeqaClient.DEFAULT_URL + ").")
  URI deqaUrl;

  @Option(names = "--precision", defaultValue = "fp32", description = "Precision of the native models: fp32 or bf16 (default: ${DEFAULT-VALUE}).")
  String precision;

  @Option(names = "--batch", defaultValue = "8", description = "Images per scorer call (default: ${DEFAULT-VALUE}).")
  int batch;

  @Override
  public Integer call() throws Exception {
    PromptFolder pf = PromptFolder.read(folder);
    Precision prec = Precision.parse(precision);
    Map<String, String> skipped = new LinkedHashMap<>();
    List<DrawbenchScorer> scorers = new ArrayList<>();
    try {
      if (clipWeights != null) {
        ClipScoreReward r = ClipScoreReward.load(config(clipConfig), clipWeights, requireBpe("CLIP score"), null, prec);
        scorers.add(new RewardScorer(r, new ScorerInfo("clip", "CLIP " + clipConfig + " (" + clipWeights.getFileName() + ")",
            name(prec), PixelConversion.TRUNCATE, "raw cosine of the L2-normalised projections (the reward / 5)", 1.0)));
      } else {
        skipped.put("clip", "no --clip-weights (CLIP ViT-B/32 safetensors)");
      }
      if (hpsWeights != null) {
        HpsReward r = HpsReward.load(config(hpsConfig), hpsWeights, requireBpe("HPSv2"), null, prec);
        scorers.add(new RewardScorer(r, new ScorerInfo("hpsv2", "HPSv2.1 " + hpsConfig + " (" + hpsWeights.getFileName() + ")",
            name(prec), PixelConversion.TRUNCATE, "raw cosine, no logit scale (the reward / 5)", 1.0)));
      } else {
        skipped.put("hpsv2", "no --hps-weights (HPS_v2.1_compressed.pt)");
      }
      if (pickscoreWeights != null) {
        ClipTokenizer tok = ClipTokenizer.locate(requireBpe("PickScore")).withCleaning(ClipTextCleaning.HUGGING_FACE);
        scorers.add(new PickScoreScorer(ClipModel.load(config(pickscoreConfig), prec, pickscoreWeights), tok));
      } else {
        skipped.put("pickscore", "no --pickscore-weights (yuvalkirstain/PickScore_v1 model.safetensors)");
      }
      if (imageReward != null) {
        checkArgument(bertVocab != null, "--imagereward needs --bert-vocab (bert-base-uncased vocab.txt)");
        scorers.add(ImageRewardScorer.load(imageReward, WordPieceTokenizer.load(bertVocab)));
      } else {
        skipped.put("imagereward", "no --imagereward (TorchScript export, see docs/evaluation.md)");
      }
      if (deqaUrl != null) {
        scorers.add(new DeqaClient(deqaUrl));
      } else {
        skipped.put("deqa", "no --deqa-url (AR-GRPO's reward server, " + DeqaClient.DEFAULT_URL + ")");
      }
      if (aestheticClip != null && aestheticMlp != null) {
        AestheticMlp mlp = AestheticMlp.load(aestheticMlp);
        scorers.add(new AestheticScorer(ClipModel.load(config(aestheticConfig), prec, aestheticClip), mlp));
      } else {
        skipped.put("aesthetic", aestheticClip == null && aestheticMlp == null ? "no --aesthetic-clip and --aesthetic-mlp"
            : "needs both --aesthetic-clip (CLIP ViT-L/14) and --aesthetic-mlp (sac+logos+ava1-l14-linearMSE.pth)");
      }
      if (uniRewardUrl != null) {
        scorers.add(new UnifiedRewardClient(uniRewardUrl));
      } else {
        skipped.put("unireward", "no --unireward-url (SGLang server of UnifiedReward-7b-v1.5, " + UnifiedRewardClient.DEFAULT_URL + ")");
      }
      Path dir = out != null ? out : folder.resolve("eval");
      DrawbenchEvaluation.Result r = new DrawbenchEvaluation(scorers, skipped, batch).run(pf, dir);
      PrintWriter o = spec.commandLine().getOut();
      for (DrawbenchScorer s : scorers) {
        ScorerInfo i = s.info();
        double mean = r.means().get(i.name());
        o.printf("%-12s mean %.6f  table4 %.6f  (%s, %s)%n", i.name(), mean, mean / i.paperDivisor(), i.precision(),
            i.conversion().name().toLowerCase(Locale.ROOT));
      }
      for (Map.Entry<String, String> e : skipped.entrySet()) {
        o.printf("%-12s skipped: %s%n", e.getKey(), e.getValue());
      }
      o.println("wrote " + dir.resolve(DrawbenchEvaluation.SCORES) + " and " + r.summary());
      o.flush();
      return 0;
    } finally {
      for (DrawbenchScorer s : scorers) {
        s.close();
      }
    }
  }

  private Path requireBpe(String who) {
    checkArgument(bpeVocab != null, "%s needs --bpe-vocab (bpe_simple_vocab_16e6.txt.gz)", who);
    return bpeVocab;
  }

  private static String name(Precision p) {
    return p.name().toLowerCase(Locale.ROOT);
  }

  /** A preset name or a JSON file of {@link ClipConfig} fields. */
  static ClipConfig config(String s) {
    switch (s) {
      case "vit-b-32":
        return ClipConfig.vitB32();
      case "vit-l-14":
        return ClipConfig.vitL14();
      case "vit-h-14":
        return ClipConfig.vitH14();
      default:
        Path p = Path.of(s);
        checkArgument(Files.isRegularFile(p),
            "model config '%s' is neither vit-b-32, vit-l-14, vit-h-14 nor a JSON file", s);
        try {
          return new ObjectMapper().readValue(p.toFile(), ClipConfig.class);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read CLIP config " + p + " (JSON with the ClipConfig fields: embedDim, "
              + "imageSize, patchSize, ...): " + e.getMessage(), e);
        }
    }
  }
}
