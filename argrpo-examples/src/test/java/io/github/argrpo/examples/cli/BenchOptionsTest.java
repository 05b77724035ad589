package io.github.argrpo.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The benchmarks' command lines through {@code argrpo bench NAME -- ...}: picocli parses them, so an
 * unknown option or a malformed value is a usage error (exit 2, the benchmark's usage on the error
 * stream) and {@code --help} lists every option. The option names expected here are those the
 * hand-rolled parsers accepted before (and {@code docs/performance.md} shows), so none was renamed.
 */
class BenchOptionsTest {

  /** {@code argrpo bench <bench> -- <required...> <more...>}. */
  private static Cli.Result bench(String bench, List<String> required, String... more) {
    List<String> args = new ArrayList<>(List.of("bench", bench, "--"));
    args.addAll(required);
    args.addAll(List.of(more));
    return Cli.run(args.toArray(new String[0]));
  }

  private static void rejectsBadOptionsAndListsItsOwn(String bench, List<String> options, String countOption) {
    rejectsBadOptionsAndListsItsOwn(bench, List.of(), options, countOption);
  }

  /**
   * An unknown option, a count that is no number and a zero count are usage errors; {@code --help}
   * names every option. {@code required} (valid options the benchmark cannot run without) comes first
   * in each command line, so each error is the one under test.
   */
  private static void rejectsBadOptionsAndListsItsOwn(String bench, List<String> required, List<String> options,
      String countOption) {
    Cli.Result unknown = bench(bench, required, "--frobnicate");
    assertThat(unknown.code()).as(unknown.err()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--frobnicate'").contains("Usage: argrpo bench " + bench);
    assertThat(unknown.hasStackTrace()).isFalse();

    Cli.Result malformed = bench(bench, required, countOption, "two");
    assertThat(malformed.code()).as(malformed.err()).isEqualTo(2);
    assertThat(malformed.err()).contains("Invalid value for option '" + countOption + "'").contains("two");

    Cli.Result zero = bench(bench, required, countOption, "0");
    assertThat(zero.code()).as(zero.err()).isEqualTo(2);
    assertThat(zero.err()).contains("Invalid value for option '" + countOption + "'").contains("must be >= 1, got 0");

    Cli.Result help = Cli.run("bench", bench, "--", "--help");
    assertThat(help.code()).as(help.err()).isZero();
    assertThat(help.out()).contains("Usage: argrpo bench " + bench).contains(options);
  }

  @Test
  void inception() {
    rejectsBadOptionsAndListsItsOwn("inception", List.of("--precisions", "--threads", "--batch", "--iters", "--image",
        "--inception", "--images", "--fid-images"), "--batch");
    Cli.Result precision = Cli.run("bench", "inception", "--", "--precisions", "fp32,fp8");
    assertThat(precision.code()).isEqualTo(2);
    assertThat(precision.err()).contains("Invalid value for option '--precisions'").contains("unknown precision 'fp8'");
  }

  @Test
  void gpt() {
    rejectsBadOptionsAndListsItsOwn("gpt", List.of("--preset", "--threads", "--conditions", "--cfg", "--train-batch",
        "--tokens", "--repeats", "--precisions", "--device"), "--repeats");
    Cli.Result negative = Cli.run("bench", "gpt", "--", "--train-batch", "-1");
    assertThat(negative.code()).isEqualTo(2);
    assertThat(negative.err()).contains("--train-batch and --tokens must be >= 0");
    Cli.Result cfg = Cli.run("bench", "gpt", "--", "--cfg", "strong");
    assertThat(cfg.code()).isEqualTo(2);
    assertThat(cfg.err()).contains("Invalid value for option '--cfg'").contains("strong");
    Cli.Result device = Cli.run("bench", "gpt", "--", "--device", "tpu");
    assertThat(device.code()).isEqualTo(2);
    assertThat(device.err()).contains("Invalid value for option '--device'").contains("unknown device 'tpu'");
  }

  @Test
  void clip() {
    rejectsBadOptionsAndListsItsOwn("clip", List.of("--vocab", "bpe_simple_vocab_16e6.txt.gz"), List.of("--vocab",
        "--models", "--precisions", "--threads", "--iters", "--image", "--batch-b32", "--batch-h14"), "--batch-b32");
    Cli.Result noVocab = Cli.run("bench", "clip", "--", "--iters", "1");
    assertThat(noVocab.code()).isEqualTo(2);
    assertThat(noVocab.err()).contains("Missing required option: '--vocab=FILE'");
  }

  @Test
  void t5() {
    rejectsBadOptionsAndListsItsOwn("t5", List.of("--model", "--precisions", "--batches", "--lengths", "--iters",
        "--threads"), "--iters");
    // each element of a list option is checked
    Cli.Result batches = Cli.run("bench", "t5", "--", "--batches", "1,x");
    assertThat(batches.code()).isEqualTo(2);
    assertThat(batches.err()).contains("Invalid value for option '--batches'").contains("'x' is not an integer");
  }

  @Test
  void stepsUsageErrorIsExitTwoNotAStackTrace() {
    // bench step was picocli already, but argrpo bench ran it through its main, which turned exit 2 into an
    // IllegalStateException (exit 1 and a stack trace)
    Cli.Result unknown = Cli.run("bench", "step", "--", "-c", "c2i_B_256", "--frobnicate");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unknown option: '--frobnicate'").contains("Usage: argrpo bench step");
    assertThat(unknown.hasStackTrace()).isFalse();
  }
}
