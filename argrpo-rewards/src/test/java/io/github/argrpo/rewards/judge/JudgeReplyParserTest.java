package io.github.argrpo.rewards.judge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JudgeReplyParserTest {

  private static double parsed(String reply) {
    OptionalDouble v = JudgeReplyParser.parse(reply);
    assertThat(v).as("score of <%s>", reply).isPresent();
    return v.getAsDouble();
  }

  private static JsonNode referenceReplies() throws IOException {
    try (InputStream in = JudgeReplyParserTest.class.getResourceAsStream("/goldens/judge_replies.json")) {
      return new ObjectMapper().readTree(in).get("replies");
    }
  }

  /**
   * Replies as AR-GRPO's own parsing reads them (fence regex, json_repair 0.47.3, json.loads,
   * float(res["score"]); goldens from src/test/python/make_judge_parser_goldens.py): where it reads a score,
   * this parser reads the same one.
   */
  @Test
  void readsEveryScoreTheReferenceReads() throws IOException {
    int read = 0;
    for (JsonNode r : referenceReplies()) {
      if (!r.get("score").isNull()) {
        assertThat(parsed(r.get("reply").asText())).as("<%s>", r.get("reply").asText()).isEqualTo(r.get("score").asDouble());
        read++;
      }
    }
    assertThat(read).isEqualTo(13);
  }

  /**
   * Where the reference gets no score (and trains on 0), this parser gets none either, except for its
   * documented leniencies (docs/rewards.md): a differently cased or nested "score" key, a bare number, and
   * "score: x" in prose. Those replies are listed here, so a new leniency is a visible decision.
   */
  @Test
  void failsWhereTheReferenceFailsExceptTheDocumentedLeniencies() throws IOException {
    Set<String> lenient = Set.of("{\"Score\": 3}", "{\"result\": {\"score\": 2}}", "4", "The score is 4.", "score: 3.5");
    for (JsonNode r : referenceReplies()) {
      String reply = r.get("reply").asText();
      if (r.get("score").isNull()) {
        assertThat(JudgeReplyParser.parse(reply).isPresent()).as("<%s>", reply).isEqualTo(lenient.contains(reply));
      }
    }
  }

  @Test
  void readsTheReferenceExampleReply() {
    String reply = "```json\n{\n\"description\": \"The image shows a brown dog with one eye.\",\n\"score\": 3.5,\n"
        + "\"explanation\": \"So the total score of this image is 1+1+0+0.5+1=3.5 .'\"\n}\n```";
    assertThat(parsed(reply)).isEqualTo(3.5);
  }

  @Test
  void readsTrailingCommasAsInTheFakeAndWeirdExamples() {
    assertThat(parsed("```json\n{\n    \"score\": 0,\n}\n```")).isEqualTo(0);
    assertThat(parsed("{\"score\": 1,}")).isEqualTo(1);
  }

  @Test
  void readsSingleQuotesAndUnquotedKeys() {
    assertThat(parsed("{'score': 4.5, 'explanation': 'ok'}")).isEqualTo(4.5);
    assertThat(parsed("{score: 2}")).isEqualTo(2);
  }

  @Test
  void readsJsonSurroundedByProse() {
    assertThat(parsed("Sure! Here is my assessment:\n{\"description\": \"a cat\", \"score\": 4}\nHope this helps."))
        .isEqualTo(4);
    assertThat(parsed("Here you go: ```json\n{\"score\": 1}\n``` Let me know.")).isEqualTo(1);
  }

  @Test
  void readsAnUnclosedFence() {
    // the fake/weird prompts' own example fence is never closed, and models copy that
    assertThat(parsed("```json\n{\n  \"score\": 1\n}")).isEqualTo(1);
  }

  @Test
  void readsAFenceWithoutLanguageTag() {
    assertThat(parsed("```\n{\"score\": 2.25}\n```")).isEqualTo(2.25);
  }

  @Test
  void readsAReplyCutOffByMaxTokens() {
    String cut = "```json\n{\n\"description\": \"A goldfish in a bowl, orange, with \\\"fins\\\"\",\n\"score\": 4,\n"
        + "\"explanation\": \"The fish matches the prompt (1 score). The image is compl";
    assertThat(parsed(cut)).isEqualTo(4);
  }

  @Test
  void readsNumericStrings() {
    assertThat(parsed("{\"score\": \"3.5\"}")).isEqualTo(3.5);
    assertThat(parsed("{\"score\": \"4/5\"}")).isEqualTo(4);
  }

  @Test
  void readsNestedScoresAndIgnoresOtherKeys() {
    assertThat(parsed("{\"result\": {\"scores\": [1, 1], \"score\": 2}}")).isEqualTo(2);
    assertThat(parsed("{\"Score\": 3}")).isEqualTo(3);
  }

  @Test
  void prefersTheScoreKeyOverNumbersInTheDescription() {
    assertThat(parsed("{\"description\": \"5 dogs, 2 cats\", \"score\": 1.5, \"explanation\": \"1+0.5\"}")).isEqualTo(1.5);
  }

  @Test
  void readsJsonWithCommentsAndRawNewlinesInStrings() {
    assertThat(parsed("{\n // my verdict\n \"description\": \"line one\nline two\",\n \"score\": 3\n}")).isEqualTo(3);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "4|4", "  1  |1", "'0'|0", "3.5.|3.5", "**2**|2", "`1`|1",
      "The score is 4.|4", "score: 3.5|3.5", "Score = 2|2", "Final score: **5**|5"})
  void readsBareNumbersAndScoresInProse(String reply, double expected) {
    assertThat(parsed(reply)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "I cannot judge this image.", "{\"description\": \"a dog\"}", "{\"score\": \"high\"}",
      "{\"score\": NaN}", "```json\n```", "yes", "The image has 2 dogs and 3 cats."})
  void rejectsRepliesWithoutAScore(String reply) {
    assertThat(JudgeReplyParser.parse(reply.replace("\\n", "\n"))).isEmpty();
  }

  @Test
  void rejectsNullAndBlank() {
    assertThat(JudgeReplyParser.parse(null)).isEmpty();
    assertThat(JudgeReplyParser.parse("  \n ")).isEmpty();
  }

  @Test
  void roundTripsAnyFiniteScoreInAnyWrapping() {
    qt().withExamples(200).forAll(doubles().between(0, 5), strings().basicLatinAlphabet().ofLengthBetween(0, 30))
        .checkAssert((score, prose) -> {
          String clean = prose.replace("{", "").replace("}", "").replace("`", "").replaceAll("(?i)score", "");
          String num = String.format(Locale.ROOT, "%.3f", score);
          double expected = Double.parseDouble(num);
          assertThat(parsed(clean + "\n```json\n{\"description\": \"" + clean.replace("\"", "") + "\", \"score\": " + num
              + ",}\n```\n" + clean)).isEqualTo(expected);
          assertThat(parsed("{'score': '" + num + "'}")).isEqualTo(expected);
        });
  }

  @Test
  void neverThrowsOnArbitraryText() {
    qt().withExamples(300).forAll(strings().allPossible().ofLengthBetween(0, 80))
        .checkAssert(s -> assertThat(JudgeReplyParser.parse(s)).isNotNull());
  }
}
