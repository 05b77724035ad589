package io.github.argrpo.examples.cli;

import static com.google.common.base.Preconditions.checkState;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;

import io.github.argrpo.core.config.ConfigException;
import io.github.argrpo.core.runtime.NativeRuntime;
import io.github.argrpo.weights.SafetensorsDtype;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.SafetensorsConversion;
import io.github.argrpo.weights.WeightFiles;
import io.github.argrpo.weights.WeightSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code argrpo convert}: an official {@code .pt} checkpoint (LlamaGen GPT or VQ; the state dict under
 * {@code model}/{@code module}/{@code state_dict} or at the top) to safetensors with the reference key
 * names, optionally casting floating-point tensors, then reading the result back and checking every
 * tensor against the source. The conversion streams ({@link SafetensorsConversion}): one tensor is in
 * memory at a time, and so is the read-back check.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
    description = {"Converts a PyTorch .pt checkpoint (or a safetensors file) to safetensors with the reference key names, "
        + "then reads the result back and compares every tensor with the source.",
        "Example: argrpo convert --in models/c2i_XL_384.pt --out models/c2i_XL_384.safetensors --dtype bf16"})
public final class ConvertCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--in", required = true, paramLabel = "FILE", description = "Source checkpoint (.pt or .safetensors).")
  Path in;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Safetensors file to write.")
  Path out;

  @Option(names = "--dtype", defaultValue = "keep", paramLabel = "TYPE",
      description = "Floating-point tensors as keep, f32, bf16 or f16 (integer tensors are kept) (default: ${DEFAULT-VALUE}).")
  String dtype;

  @Option(names = "--no-check", description = "Skip the read-back check.")
  boolean noCheck;

  @Option(names = "--prefix", paramLabel = "P", description = "Keep only keys starting with P and strip it, e.g. gpt_model. "
      + "for the GPT of an AR-GRPO (Hugging Face) checkpoint, which also holds vq_model.* and ref_model.*.")
  String prefix;

  @Override
  public Integer call() throws Exception {
    ScalarType target = switch (dtype.trim().toLowerCase(Locale.ROOT)) {
      case "keep" -> null;
      case "f32", "fp32", "float32" -> ScalarType.Float;
      case "bf16", "bfloat16" -> ScalarType.BFloat16;
      case "f16", "fp16", "float16" -> ScalarType.Half;
      default -> throw new ConfigException("--dtype must be keep, f32, bf16 or f16, got '" + dtype + "'");
    };
    if (!Files.exists(in)) {
      throw new ConfigException("--in: file " + in + " does not exist");
    }
    if (in.toAbsolutePath().normalize().equals(out.toAbsolutePath().normalize())) {
      throw new ConfigException("--out must differ from --in");
    }
    NativeRuntime.init();
    PrintWriter o = spec.commandLine().getOut();
    int n;
    try (WeightSource src = WeightFiles.open(in)) {
      // streamed: one tensor in memory at a time (a 12 GB GPT-3B checkpoint converts in little memory)
      n = SafetensorsConversion.convert(src, prefix, target, out,
          Map.of("format", "pt", "converted_from", in.getFileName().toString()));
    } catch (IllegalArgumentException e) {
      if (prefix != null && e.getMessage() != null && e.getMessage().startsWith("no key")) {
        throw new ConfigException("--prefix: no key of " + in + " starts with '" + prefix + "'");
      }
      throw e;
    }
    o.println("wrote " + n + " tensors to " + out.toAbsolutePath() + " (" + Files.size(out) / (1 << 20) + " MiB)");
    if (!noCheck) {
      check(target);
      o.println("check passed: every tensor of " + out.getFileName() + " equals the source" + (target == null ? "" : " cast to " + dtype));
    }
    o.flush();
    return 0;
  }

  private static Tensor cast(Tensor t, ScalarType target) {
    return target != null && t.is_floating_point() ? t.to(target).contiguous() : t;
  }

  private void check(ScalarType target) throws IOException {
    try (WeightSource src = WeightFiles.open(in); SafetensorsFile back = SafetensorsFile.open(out)) {
      Set<String> expectedKeys = new HashSet<>();
      for (String k : src.keys()) {
        if (prefix == null || k.startsWith(prefix)) {
          expectedKeys.add(prefix == null ? k : k.substring(prefix.length()));
        }
      }
      checkState(back.keys().equals(expectedKeys),
          "read-back check failed: the key sets differ (%s vs %s)", back.keys().size(), expectedKeys.size());
      for (String k : back.keys()) {
        try (PointerScope s = new PointerScope()) {
          Tensor expected = cast(src.read(prefix == null ? k : prefix + k), target);
          Tensor got = back.read(k);
          if (SafetensorsDtype.of(expected.scalar_type()) != SafetensorsDtype.of(got.scalar_type())
              || !Arrays.equals(expected.sizes().vec().get(), got.sizes().vec().get()) || !expected.equal(got)) {
            throw new IllegalStateException("read-back check failed at '" + k + "': " + back.info(k) + " differs from the source");
          }
        }
      }
    }
  }
}
