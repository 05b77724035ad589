/**
 * LlamaGen's autoregressive image GPT on libtorch, number for number with the official
 * {@code autoregressive/models/gpt.py} and {@code generate.py}.
 *
 * <ul>
 *   <li>{@link io.github.argrpo.models.llamagen.GptConfig}: the architecture ({@code ModelArgs}) with the
 *       GPT-B ... GPT-7B presets.
 *   <li>The network, one class per concept: {@link io.github.argrpo.models.llamagen.RmsNorm},
 *       {@link io.github.argrpo.models.llamagen.FeedForward}, {@link io.github.argrpo.models.llamagen.Rope2d},
 *       {@link io.github.argrpo.models.llamagen.Attention}, {@link io.github.argrpo.models.llamagen.KvCache},
 *       {@link io.github.argrpo.models.llamagen.TransformerBlock},
 *       {@link io.github.argrpo.models.llamagen.ClassEmbedder},
 *       {@link io.github.argrpo.models.llamagen.CaptionEmbedder},
 *       {@link io.github.argrpo.models.llamagen.CausalMask} and the whole
 *       {@link io.github.argrpo.models.llamagen.LlamaGenGpt}, whose parameter names are the reference
 *       state-dict keys.
 *   <li>Decoding: {@link io.github.argrpo.models.llamagen.CfgSampler} (KV cache, classifier-free
 *       guidance, temperature, top-k, top-p) with per-row randomness
 *       ({@link io.github.argrpo.models.llamagen.RowGenerators}).
 *   <li>{@link io.github.argrpo.models.llamagen.LlamaGenPolicy}: the GRPO
 *       {@link io.github.argrpo.core.policy.Policy}, weight loading (safetensors, {@code .pt}) and export.
 * </ul>
 *
 * <pre>{@code
 * try (LlamaGenPolicy gpt = LlamaGenPolicy.load(GptConfig.gptB(), Path.of("c2i_B_256.pt"), DeviceSpec.CPU);
 *      Rollouts r = gpt.sample(List.of(Condition.ofClass(207)), 8, SamplingConfig.arGrpo().withSeed(1))) {
 *   long[][] codes = r.tokensAsArray();   // 8 x 256 VQ codes, raster order
 * }
 * }</pre>
 *
 * <p>Reference quirks reproduced on purpose: condition tokens get a zero RoPE rotation, which zeroes
 * their queries and keys (LlamaGen issue #54); the t2i unconditional branch uses the learned
 * {@code uncond_embedding} with the prompt's own padding mask; guidance is applied in fp32 before
 * temperature and filtering; top-k keeps ties at the k-th value.
 */
package io.github.argrpo.models.llamagen;
