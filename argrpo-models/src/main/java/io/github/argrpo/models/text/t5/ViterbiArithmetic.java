package io.github.argrpo.models.text.t5;

/**
 * How the unigram Viterbi adds piece scores, which decides the rare segmentations whose totals tie or
 * nearly tie (for example "o" + "oo" against "oo" + "o").
 *
 * <p>The two reference implementations differ here and nowhere else that the tests found: the C++
 * SentencePiece library keeps the best path score of each position as a {@code float}; Hugging Face's
 * {@code tokenizers} (the "fast" tokenizer that {@code AutoTokenizer} returns for google/flan-t5-xl,
 * hence LlamaGen's) keeps it as an {@code f64}. On 1,481 strings the two gave one different
 * segmentation, a three-letter run of one character.
 */
public enum ViterbiArithmetic {

  /** SentencePiece's C++ {@code EncodeOptimized}: path scores stored as float. */
  SENTENCEPIECE,

  /**
   * Hugging Face {@code tokenizers}' {@code Unigram}: path scores, piece scores and the unknown score
   * ({@code min - 10}) in double precision. LlamaGen's tokenizer; {@link T5Tokenizer}'s default.
   */
  HUGGING_FACE
}
