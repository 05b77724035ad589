/**
 * FLAN-T5 for LlamaGen's text conditioning, natively: the encoder on libtorch
 * ({@link io.github.argrpo.models.text.t5.T5Encoder}, Hugging Face's {@code T5EncoderModel}: {@link
 * io.github.argrpo.models.text.t5.T5Config} from {@code config.json}, weights from safetensors or
 * {@code pytorch_model.bin}, single or sharded, blocks {@link io.github.argrpo.models.text.t5.T5Block},
 * {@link io.github.argrpo.models.text.t5.T5Attention}, {@link io.github.argrpo.models.text.t5.T5FeedForward},
 * {@link io.github.argrpo.models.text.t5.T5LayerNorm} and the shared
 * {@link io.github.argrpo.models.text.t5.RelativePositionBias}), and the tokenizer in plain Java: a reader for
 * SentencePiece unigram {@code .model} files ({@link io.github.argrpo.models.text.t5.SentencePieceModel}),
 * SentencePiece's normalizer and Viterbi segmentation
 * ({@link io.github.argrpo.models.text.t5.SentencePieceTokenizer}), and the Hugging Face T5 rules on
 * top (EOS, truncation, padding, mask, sentinels: {@link io.github.argrpo.models.text.t5.T5Tokenizer}).
 *
 * <pre>{@code
 * T5Tokenizer t5 = T5Tokenizer.open(Path.of("models/flan-t5-xl"));
 * T5Tokenizer.Encoding e = t5.encode("a watercolor fox in the snow", 120);
 * }</pre>
 *
 * <p>No native code and no protobuf dependency: the model file is read with a small wire-format
 * reader, and the precompiled normalization charsmap (a Darts-clone double-array trie) is walked
 * directly. The tests compare ids with the real SentencePiece 0.1.97 on models trained for the
 * purpose ({@code src/test/resources/t5/make_spm_fixture.py}); the encoder is compared with an
 * independent float64 reference of {@code modeling_t5.py}'s forward
 * ({@code src/test/resources/t5/make_t5_encoder_fixture.py}).
 */
package io.github.argrpo.models.text.t5;
