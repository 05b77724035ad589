package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.grpo.AdamWGrpoOptimizer;
import io.github.argrpo.core.policy.Policy;
import io.github.argrpo.core.policy.Rollouts;
import io.github.argrpo.core.toy.ToyPolicy;

/**
 * Data-parallel GRPO across real processes (child JVMs on loopback with Gloo): two ranks equal one
 * process on the same global batch, a two-rank run learns, a killed rank ends the other with an
 * error within the timeout, a rendezvous that cannot complete fails clearly, and the launcher stops
 * every rank when one fails.
 */
class MultiProcessDistributedTest {

  private static final int STEPS = 30;
  private static final int PARITY_STEPS = 3;

  @TempDir
  static Path runDir;

  private static int trainStatus;
  private static final List<String> trainOutput = Collections.synchronizedList(new ArrayList<>());

  /** The test JVM's class path (surefire's real one, not its manifest-only booter jar, when available). */
  static String classpath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }

  static List<String> childJvmArgs() {
    return List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dorg.bytedeco.javacpp.maxPhysicalBytes=0",
        "-Dargrpo.threads=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
  }

  @BeforeAll
  static void trainOnTwoRanks() {
    LaunchConfig cfg = LaunchConfig.builder(DistributedToyWorker.class.getName()).processes(2).classpath(classpath())
        .jvmArgs(childJvmArgs()).threadsPerRank(1).env("ARGRPO_DIST_TIMEOUT_S", "30").maxRuntime(Duration.ofSeconds(150))
        .args(List.of(runDir.toString(), Integer.toString(STEPS), Integer.toString(PARITY_STEPS))).build();
    trainStatus = LocalLauncher.run(cfg, trainOutput::add);
  }

  private static String output() {
    synchronized (trainOutput) {
      return String.join("\n", trainOutput);
    }
  }

  @Test
  void twoProcessesMatchOneProcessOnTheSameGlobalBatch() throws IOException {
    assertThat(trainStatus).as(output()).isZero();
    float[] rank0 = ToyGrpoSetup.read(runDir.resolve("params-rank0.bin"));
    float[] rank1 = ToyGrpoSetup.read(runDir.resolve("params-rank1.bin"));
    // the ranks apply the same averaged gradient: bit-identical replicas
    assertThat(rank1).containsExactly(rank0);
    // one process, the whole batch, the plain optimizer step; rank 0's initial weights (seed 1)
    float[] single;
    float[] initial;
    try (ToyPolicy p = new ToyPolicy(ToyGrpoSetup.CLASSES, ToyGrpoSetup.LENGTH, ToyGrpoSetup.VOCAB, 1);
        Policy ref = p.frozenCopy(); AdamWGrpoOptimizer opt = new AdamWGrpoOptimizer(p, ToyGrpoSetup.config())) {
      initial = ToyGrpoSetup.flatParameters(p);
      for (int step = 0; step < PARITY_STEPS; step++) {
        try (Rollouts r = p.sample(ToyGrpoSetup.conditions(), ToyGrpoSetup.GROUP, ToyGrpoSetup.sampling(step))) {
          opt.step(r, ToyGrpoSetup.rewards(r), p, ref);
        }
      }
      single = ToyGrpoSetup.flatParameters(p);
    }
    assertThat(rank0).hasSameSizeAs(single);
    double maxDiff = 0;
    double maxMove = 0;
    for (int i = 0; i < single.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(rank0[i] - single[i]));
      maxMove = Math.max(maxMove, Math.abs(single[i] - initial[i]));
    }
    // the comparison means something only if training moved the weights far more than the tolerance
    assertThat(maxMove).isGreaterThan(0.05);
    assertThat(maxDiff).as("max |2 ranks - 1 process| over %s parameters", single.length).isLessThan(1e-5);
  }

  @Test
  void aTwoProcessRunLearns() throws IOException {
    assertThat(trainStatus).as(output()).isZero();
    List<String> lines = Files.readAllLines(runDir.resolve("metrics.tsv"), StandardCharsets.UTF_8);
    assertThat(lines).hasSize(STEPS);
    double first = 0;
    double last = 0;
    for (int i = 0; i < 5; i++) {
      first += Double.parseDouble(lines.get(i).split("\t")[1]) / 5;
      last += Double.parseDouble(lines.get(STEPS - 1 - i).split("\t")[1]) / 5;
    }
    // chance level is 1/6
    assertThat(first).isLessThan(0.3);
    assertThat(last).isGreaterThan(2 * first).isGreaterThan(0.4);
  }

  @Test
  void theLauncherSetsTheRanksUpAndPrefixesTheirOutput() {
    assertThat(trainStatus).as(output()).isZero();
    assertThat(output()).contains("[rank 0] connected: rank 0 of 2", "[rank 1] connected: rank 1 of 2",
        "[rank 0] done", "[rank 1] done");
  }

  @Test
  void aKilledRankEndsTheOtherWithAClearErrorWithinTheTimeout(@TempDir Path dir) throws Exception {
    int port = InProcessRanks.freePort();
    int timeoutS = 20;
    List<String> args = List.of(dir.toString(), "50", "0", "1", "2");
    Process r0 = startRank(0, 2, port, timeoutS, DistributedToyWorker.class, args, dir.resolve("rank0.log"));
    Process r1 = startRank(1, 2, port, timeoutS, DistributedToyWorker.class, args, dir.resolve("rank1.log"));
    try {
      assertThat(r1.waitFor(90, TimeUnit.SECONDS)).as("rank 1 halts").isTrue();
      long died = System.nanoTime();
      assertThat(r1.exitValue()).isEqualTo(3);
      boolean ended = r0.waitFor(timeoutS + 10, TimeUnit.SECONDS);
      double after = (System.nanoTime() - died) / 1e9;
      String log = Files.readString(dir.resolve("rank0.log"));
      assertThat(ended).as("rank 0 ends by itself after its peer died; its log:\n%s", log).isTrue();
      assertThat(r0.exitValue()).as(log).isNotZero();
      assertThat(after).as("seconds from the peer's death to the survivor's exit").isLessThan(timeoutS + 5);
      assertThat(log).contains("DistributedException", "rank 0 of 2", "the run cannot continue");
    } finally {
      r0.destroyForcibly();
      r1.destroyForcibly();
    }
  }

  @Test
  void aRendezvousThatCannotCompleteFailsClearlyWithinTheTimeout(@TempDir Path dir) throws Exception {
    int timeoutS = 4;
    // world of 2 but only one rank ever starts: rank 0 alone (serves the store, nobody joins) and,
    // on another port, rank 1 alone (nobody serves the store)
    Process alone0 = startRank(0, 2, InProcessRanks.freePort(), timeoutS, DistributedToyWorker.class,
        List.of(dir.toString(), "1", "0"), dir.resolve("alone0.log"));
    Process alone1 = startRank(1, 2, InProcessRanks.freePort(), timeoutS, DistributedToyWorker.class,
        List.of(dir.toString(), "1", "0"), dir.resolve("alone1.log"));
    try {
      long t0 = System.nanoTime();
      assertThat(alone0.waitFor(60, TimeUnit.SECONDS)).as("rank 0 alone must give up").isTrue();
      assertThat(alone1.waitFor(60, TimeUnit.SECONDS)).as("rank 1 alone must give up").isTrue();
      double took = (System.nanoTime() - t0) / 1e9;
      String log0 = Files.readString(dir.resolve("alone0.log"));
      String log1 = Files.readString(dir.resolve("alone1.log"));
      assertThat(alone0.exitValue()).as(log0).isNotZero();
      assertThat(alone1.exitValue()).as(log1).isNotZero();
      assertThat(log0).contains("rendezvous failed: rank 0 of 2", "within 4000 ms");
      assertThat(log1).contains("rendezvous failed: rank 1 of 2", "within 4000 ms");
      // JVM and libtorch start-up plus the 4 s timeout, with room for a busy machine
      assertThat(took).isLessThan(45);
    } finally {
      alone0.destroyForcibly();
      alone1.destroyForcibly();
    }
  }

  @Test
  void theLauncherStopsTheOtherRanksWhenOneFails() {
    List<String> out = Collections.synchronizedList(new ArrayList<>());
    LaunchConfig cfg = LaunchConfig.builder(LauncherProbe.class.getName()).processes(3).classpath(classpath())
        .jvmArgs(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1")).threadsPerRank(1).args(List.of("5"))
        .shutdownGrace(Duration.ofSeconds(2)).maxRuntime(Duration.ofSeconds(50)).build();
    long t0 = System.nanoTime();
    int status = LocalLauncher.run(cfg, out::add);
    double took = (System.nanoTime() - t0) / 1e9;
    assertThat(status).as(String.join("\n", out)).isEqualTo(5);
    // the sleeping ranks were stopped, not waited for (they sleep 60 s)
    assertThat(took).isLessThan(30);
    assertThat(String.join("\n", out)).contains("[rank 1] probe RANK=1 WORLD_SIZE=3 MASTER_ADDR=127.0.0.1 OMP_NUM_THREADS=1");
  }

  @Test
  void theLauncherStopsARunThatExceedsItsMaximumTime() {
    LaunchConfig cfg = LaunchConfig.builder(LauncherProbe.class.getName()).processes(1).classpath(classpath())
        .jvmArgs(List.of("-Xmx64m", "-XX:TieredStopAtLevel=1")).args(List.of("7")).shutdownGrace(Duration.ofSeconds(1))
        .maxRuntime(Duration.ofSeconds(3)).build();
    assertThat(LocalLauncher.run(cfg, line -> {})).isEqualTo(LocalLauncher.EXIT_TIMEOUT);
  }

  static Process startRank(int rank, int world, int port, int timeoutS, Class<?> main, List<String> args, Path log)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(childJvmArgs());
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(main.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("MASTER_ADDR", "127.0.0.1");
    pb.environment().put("MASTER_PORT", Integer.toString(port));
    pb.environment().put("RANK", Integer.toString(rank));
    pb.environment().put("LOCAL_RANK", Integer.toString(rank));
    pb.environment().put("WORLD_SIZE", Integer.toString(world));
    pb.environment().put("ARGRPO_DIST_TIMEOUT_S", Integer.toString(timeoutS));
    pb.environment().put("OMP_NUM_THREADS", "1");
    return pb.start();
  }
}
