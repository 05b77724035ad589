package io.github.argrpo.rewards.clip;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.weights.TensorInfo;
import io.github.argrpo.weights.WeightSource;

/**
 * A CLIP state dict seen under OpenAI/open_clip key names, whatever layout the file uses.
 *
 * <p>Two layouts are understood, optionally under a common prefix (a {@code state_dict.} or
 * {@code module.} wrapper):
 *
 * <ul>
 *   <li><b>OpenAI / open_clip</b> ({@code visual.transformer.resblocks.N.attn.in_proj_weight}, ...):
 *       taken as is.
 *   <li><b>Hugging Face</b> {@code CLIPModel} ({@code vision_model.encoder.layers.N.self_attn.q_proj.weight},
 *       ...): the separate q, k, v projections are concatenated into {@code in_proj_*} (rows q, k, v, the
 *       order {@code nn.MultiheadAttention} splits them in), {@code visual_projection.weight} and
 *       {@code text_projection.weight} ({@code nn.Linear}, {@code [D, W]}) are transposed into the
 *       {@code [W, D]} matrices {@code visual.proj} and {@code text_projection}, and the rest is renamed.
 * </ul>
 *
 * <p>Bookkeeping entries that carry no weights ({@code position_ids}, {@code attn_mask},
 * {@code input_resolution}, {@code context_length}, {@code vocab_size}) are ignored.
 */
final class ClipStateDict {

  /** How one canonical tensor is made from stored ones. */
  record Entry(String canonical, List<String> sources, boolean transpose) {}

  private static final Pattern HF_LAYER =
      Pattern.compile("(vision|text)_model\\.encoder\\.layers\\.(\\d+)\\.(.+)");

  private final WeightSource source;
  private final Map<String, Entry> entries;
  private final List<String> unexpected;
  private final boolean huggingFace;

  private ClipStateDict(WeightSource source, Map<String, Entry> entries, List<String> unexpected, boolean hf) {
    this.source = source;
    this.entries = entries;
    this.unexpected = unexpected;
    this.huggingFace = hf;
  }

  /** Maps the keys of {@code src}; reads no tensor data. */
  static ClipStateDict of(WeightSource src) {
    String prefix = null;
    boolean hf = false;
    for (String k : src.keys()) {
      if (k.endsWith("visual.conv1.weight")) {
        prefix = k.substring(0, k.length() - "visual.conv1.weight".length());
        break;
      }
      if (k.endsWith("vision_model.embeddings.patch_embedding.weight")) {
        prefix = k.substring(0, k.length() - "vision_model.embeddings.patch_embedding.weight".length());
        hf = true;
        break;
      }
    }
    if (prefix == null) {
      List<String> sample = src.keys().stream().limit(8).toList();
      throw new IllegalArgumentException("not a CLIP state dict: expected a key 'visual.conv1.weight' (OpenAI/open_clip)"
          + " or 'vision_model.embeddings.patch_embedding.weight' (Hugging Face), got " + src.keys().size()
          + " keys starting with " + sample);
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    List<String> unexpected = new ArrayList<>();
    Map<String, List<String>> qkv = new LinkedHashMap<>();
    for (String full : src.keys()) {
      if (!full.startsWith(prefix)) {
        unexpected.add(full);
        continue;
      }
      String k = full.substring(prefix.length());
      if (isBookkeeping(k)) {
        continue;
      }
      if (!hf) {
        entries.put(k, new Entry(k, List.of(full), false));
        continue;
      }
      Matcher m = HF_LAYER.matcher(k);
      if (m.matches()) {
        String base = (m.group(1).equals("vision") ? "visual.transformer" : "transformer") + ".resblocks." + m.group(2)
            + ".";
        String rest = m.group(3);
        Matcher p = Pattern.compile("self_attn\\.([qkv])_proj\\.(weight|bias)").matcher(rest);
        if (p.matches()) {
          String target = base + "attn.in_proj_" + p.group(2);
          List<String> parts = qkv.computeIfAbsent(target, t -> new ArrayList<>(Arrays.asList(null, null, null)));
          parts.set("qkv".indexOf(p.group(1)), full);
          continue;
        }
        String mapped = rest.replace("self_attn.out_proj.", "attn.out_proj.").replace("layer_norm1.", "ln_1.")
            .replace("layer_norm2.", "ln_2.").replace("mlp.fc1.", "mlp.c_fc.").replace("mlp.fc2.", "mlp.c_proj.");
        entries.put(base + mapped, new Entry(base + mapped, List.of(full), false));
        continue;
      }
      String mapped = hfTopLevel(k);
      if (mapped == null) {
        unexpected.add(full);
      } else {
        boolean t = k.equals("visual_projection.weight") || k.equals("text_projection.weight");
        entries.put(mapped, new Entry(mapped, List.of(full), t));
      }
    }
    for (Map.Entry<String, List<String>> e : qkv.entrySet()) {
      if (e.getValue().contains(null)) {
        throw new IllegalArgumentException("Hugging Face CLIP weights: " + e.getKey()
            + " needs q_proj, k_proj and v_proj, but only " + e.getValue().stream().filter(s -> s != null).toList()
            + " are present");
      }
      entries.put(e.getKey(), new Entry(e.getKey(), List.copyOf(e.getValue()), false));
    }
    return new ClipStateDict(src, entries, unexpected, hf);
  }

  private static boolean isBookkeeping(String k) {
    return k.endsWith("position_ids") || k.endsWith("attn_mask") || k.equals("input_resolution")
        || k.equals("context_length") || k.equals("vocab_size");
  }

  private static String hfTopLevel(String k) {
    switch (k) {
      case "vision_model.embeddings.class_embedding":
        return "visual.class_embedding";
      case "vision_model.embeddings.patch_embedding.weight":
        return "visual.conv1.weight";
      case "vision_model.embeddings.position_embedding.weight":
        return "visual.positional_embedding";
      case "vision_model.pre_layrnorm.weight":
        return "visual.ln_pre.weight";
      case "vision_model.pre_layrnorm.bias":
        return "visual.ln_pre.bias";
      case "vision_model.post_layernorm.weight":
        return "visual.ln_post.weight";
      case "vision_model.post_layernorm.bias":
        return "visual.ln_post.bias";
      case "visual_projection.weight":
        return "visual.proj";
      case "text_model.embeddings.token_embedding.weight":
        return "token_embedding.weight";
      case "text_model.embeddings.position_embedding.weight":
        return "positional_embedding";
      case "text_model.final_layer_norm.weight":
        return "ln_final.weight";
      case "text_model.final_layer_norm.bias":
        return "ln_final.bias";
      case "text_projection.weight":
        return "text_projection";
      case "logit_scale":
        return "logit_scale";
      default:
        return null;
    }
  }

  /** Whether the file used Hugging Face names. */
  boolean huggingFace() {
    return huggingFace;
  }

  /** Canonical names available. */
  Map<String, Entry> entries() {
    return entries;
  }

  /** Stored keys that map to no CLIP tensor. */
  List<String> unexpected() {
    return unexpected;
  }

  /** The shape {@code name} will have once assembled. */
  long[] shape(String name) {
    Entry e = entries.get(name);
    long[] first = source.info(e.sources().get(0)).shape();
    if (e.sources().size() > 1) {
      long rows = 0;
      for (String s : e.sources()) {
        TensorInfo info = source.info(s);
        rows += info.shape()[0];
      }
      first = first.clone();
      first[0] = rows;
    }
    if (e.transpose() && first.length == 2) {
      return new long[] {first[1], first[0]};
    }
    return first;
  }

  /** Reads and assembles {@code name}; the tensor belongs to the caller's scope. */
  Tensor read(String name) {
    Entry e = entries.get(name);
    Tensor t;
    if (e.sources().size() == 1) {
      t = source.read(e.sources().get(0));
    } else {
      TensorVector parts = new TensorVector();
      for (String s : e.sources()) {
        parts.push_back(source.read(s));
      }
      t = torch.cat(parts, 0);
    }
    return e.transpose() ? t.t() : t;
  }
}
