package io.github.argrpo.core.distributed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.javacpp.chrono.Milliseconds;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.StringVector;
import org.bytedeco.pytorch.TCPStore;
import org.bytedeco.pytorch.TCPStoreOptions;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.argrpo.core.runtime.NativeRuntime;

/**
 * The c10d collectives on two ranks in one JVM (one thread per rank, Gloo over loopback): all-gather,
 * mean, broadcast, bucketed gradient averaging, and the errors when ranks disagree.
 */
class C10dContextDistributedTest {

  /** A tiny bucket so that the gradient and broadcast tests span several buckets. */
  private static final double BUCKET_MB = 64.0 / (1024 * 1024);

  private static InProcessRanks world;

  @BeforeAll
  static void connect() throws Exception {
    NativeRuntime.init();
    world = new InProcessRanks(2, Duration.ofSeconds(20), BUCKET_MB);
  }

  @AfterAll
  static void disconnect() throws Exception {
    if (world != null) {
      world.close();
    }
  }

  private static float[] floats(Tensor t) {
    Tensor c = t.detach().to(ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    new FloatPointer(c.data_ptr_float()).get(out);
    return out;
  }

  private static Tensor ramp(int n, double scale, ScalarType type) {
    return torch.arange(new Scalar(n)).to(type).mul(new Scalar(scale));
  }

  @Test
  void allGatherConcatenatesInRankOrder() throws Exception {
    List<double[]> got = world.onEachRank(c -> c.allGather(new double[] {c.rank() * 10 + 1, c.rank() * 10 + 2.5, -0.125}));
    for (double[] g : got) {
      assertThat(g).containsExactly(1, 2.5, -0.125, 11, 12.5, -0.125);
    }
    assertThat(world.onEachRank(c -> c.allGather(new double[0]))).allMatch(a -> a.length == 0);
  }

  @Test
  void meanOverAveragesEachMetricAndKeepsTheOrder() throws Exception {
    List<Map<String, Double>> got = world.onEachRank(c -> {
      Map<String, Double> m = new LinkedHashMap<>();
      m.put("zeta", c.rank() == 0 ? 1.0 : 3.0);
      m.put("alpha", c.rank() == 0 ? -2.0 : 4.0);
      m.put("kl", Double.NaN);
      return c.meanOver(m);
    });
    for (Map<String, Double> m : got) {
      assertThat(m.keySet()).containsExactly("zeta", "alpha", "kl");
      assertThat(m.get("zeta")).isEqualTo(2.0);
      assertThat(m.get("alpha")).isEqualTo(1.0);
      assertThat(m.get("kl")).isNaN();
    }
  }

  @Test
  void broadcastCopiesRankZerosTensorsAcrossSeveralBuckets() throws Exception {
    List<float[][]> got = world.onEachRank(c -> {
      // built outside a scope: they play long-lived parameters
      Tensor a = ramp(40, c.rank() + 1, ScalarType.Float).reshape(4, 10);
      Tensor b = ramp(7, c.rank() == 0 ? 0.5 : -3, ScalarType.Double);
      Tensor w = ramp(30, c.rank() == 0 ? 2 : 9, ScalarType.Float).set_requires_grad(true);
      Tensor h = ramp(9, c.rank() == 0 ? 0.25 : 4, ScalarType.BFloat16);
      c.broadcast(List.of(a, b, w, h));
      assertThat(w.requires_grad()).isTrue();
      assertThat(h.scalar_type().intern()).isEqualTo(ScalarType.BFloat16);
      return new float[][] {floats(a), floats(b), floats(w), floats(h)};
    });
    assertThat(got.get(1)[3]).containsExactly(got.get(0)[3]);
    assertThat(got.get(1)[3][4]).isEqualTo(1.0f);
    assertThat(got.get(1)[0]).containsExactly(got.get(0)[0]);
    assertThat(got.get(1)[1]).containsExactly(got.get(0)[1]);
    assertThat(got.get(1)[2]).containsExactly(got.get(0)[2]);
    assertThat(got.get(1)[0][3]).isEqualTo(3.0f);
    assertThat(got.get(1)[2][5]).isEqualTo(10.0f);
  }

  @Test
  void gradientsAreAveragedAndUndefinedOnesCountAsZero() throws Exception {
    List<float[][]> got = world.onEachRank(c -> {
      // 40 + 25 + 30 floats = 160 + 100 + 120 bytes against a 64-byte bucket: one bucket each
      Tensor p = torch.zeros(new long[] {4, 10}, new TensorOptions(ScalarType.Float)).set_requires_grad(true);
      Tensor q = torch.zeros(new long[] {25}, new TensorOptions(ScalarType.Float)).set_requires_grad(true);
      Tensor u = torch.zeros(new long[] {30}, new TensorOptions(ScalarType.Float)).set_requires_grad(true);
      // a bf16 parameter (mixed-precision models): its own bucket, reduced in bf16
      Tensor h = torch.zeros(new long[] {8}, new TensorOptions(ScalarType.BFloat16)).set_requires_grad(true);
      try (PointerScope s = new PointerScope()) {
        // rank r: loss = (r+1) * sum(p * ramp) + sum(q) * (r == 0 ? 1 : 5); u only on rank 0
        Tensor loss = p.mul(ramp(40, 1, ScalarType.Float).reshape(4, 10)).sum().mul(new Scalar(c.rank() + 1))
            .add(q.sum().mul(new Scalar(c.rank() == 0 ? 1 : 5)));
        if (c.rank() == 0) {
          loss = loss.add(u.mul(ramp(30, 2, ScalarType.Float)).sum());
        }
        loss = loss.add(h.sum().mul(new Scalar(c.rank() == 0 ? 0.5 : 1.5)).to(ScalarType.Float));
        loss.backward();
      }
      assertThat(u.grad().defined()).isEqualTo(c.rank() == 0);
      c.gradientSynchronizer().synchronize(List.of(p, q, u, h));
      assertThat(h.grad().scalar_type().intern()).isEqualTo(ScalarType.BFloat16);
      return new float[][] {floats(p.grad()), floats(q.grad()), floats(u.grad()), floats(h.grad())};
    });
    for (float[][] g : got) {
      for (int i = 0; i < 40; i++) {
        assertThat(g[0][i]).isCloseTo(1.5f * i, within(1e-5f)); // (1 + 2) / 2 * ramp
      }
      assertThat(g[1]).containsOnly(3.0f); // (1 + 5) / 2
      for (int i = 0; i < 30; i++) {
        assertThat(g[2][i]).isCloseTo(i, within(1e-5f)); // (2i + 0) / 2
      }
      assertThat(g[3]).containsOnly(1.0f); // (0.5 + 1.5) / 2, exact in bf16
    }
  }

  @Test
  void replicasThatAgreePassTheCheckAndADifferentOneIsNamed() throws Exception {
    List<String> verdicts = world.onEachRank(c -> {
      Map<String, Tensor> params = new LinkedHashMap<>();
      params.put("table", ramp(12, 0.1, ScalarType.Float));
      params.put("half", ramp(5, 0.5, ScalarType.BFloat16));
      DistributedGrpo dist = new DistributedGrpo(c);
      dist.verifyReplicas(params);
      if (c.rank() == 1) {
        // one ulp in one element of one parameter
        float[] v = floats(params.get("table"));
        v[7] = Math.nextUp(v[7]);
        params.put("table", Tensor.create(v, v.length));
      }
      try {
        dist.verifyReplicas(params);
        return "passed";
      } catch (DistributedException e) {
        return e.getMessage();
      }
    });
    assertThat(verdicts).allSatisfy(v -> assertThat(v).contains("parameter 'table' on rank 1 differs from rank 0's"));
  }

  @Test
  void nativeMemoryStaysFlatOverManyCollectives() throws Exception {
    // 1 MiB of parameters: a bucket or a broadcast copy leaked per iteration would add 2 MiB per
    // iteration per rank, hundreds of MiB over the loop
    List<Long> growth = world.onEachRank(c -> {
      Tensor p = torch.ones(new long[] {1 << 18}, new TensorOptions(ScalarType.Float)).set_requires_grad(true);
      try (PointerScope s = new PointerScope()) {
        p.sum().backward();
      }
      List<Tensor> params = List.of(p);
      long before = 0;
      for (int i = 0; i < 250; i++) {
        if (i == 50) {
          before = Pointer.physicalBytes();
        }
        c.gradientSynchronizer().synchronize(params);
        c.broadcast(params);
        c.allGather(new double[] {i});
        c.meanOver(Map.of("i", (double) i));
      }
      return Pointer.physicalBytes() - before;
    });
    // the two ranks share this JVM's resident set: both measure the same process
    assertThat(growth).allSatisfy(g -> assertThat(g).isLessThan(150L << 20));
  }

  @Test
  void barrierReturnsOnEveryRank() throws Exception {
    assertThat(world.onEachRank(c -> {
      c.barrier();
      return c.rank();
    })).containsExactly(0, 1);
  }

  @Test
  void ranksThatDisagreeFailTogetherWithAClearError() throws Exception {
    try (InProcessRanks w = new InProcessRanks(2, Duration.ofSeconds(20), 1)) {
      List<Throwable> errors = w.failuresOnEachRank(c -> c.allGather(new double[c.rank() + 2]));
      assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(DistributedException.class)
          .hasMessageContaining("ranks disagree on allGather (array length)").hasMessageContaining("[2, 3]"));
      // the context is failed now: later calls throw at once instead of talking to a broken group
      List<Throwable> later = w.failuresOnEachRank(c -> {
        c.barrier();
        return null;
      });
      assertThat(later).allSatisfy(e -> assertThat(e).isInstanceOf(DistributedException.class)
          .hasMessageContaining("failed distributed context"));
    }
  }

  @Test
  void aStuckPeerMakesTheCollectiveFailWithinTheTimeout() throws Exception {
    try (InProcessRanks w = new InProcessRanks(2, Duration.ofSeconds(2), 1)) {
      List<Object> got = w.onEachRank(c -> {
        if (c.rank() == 1) {
          return "rank 1 never calls the collective";
        }
        long t0 = System.nanoTime();
        try {
          c.allGather(new double[] {1});
          return "no error";
        } catch (DistributedException e) {
          return new Object[] {e, (System.nanoTime() - t0) / 1e9};
        }
      });
      assertThat(got.get(0)).isInstanceOf(Object[].class);
      Object[] r0 = (Object[]) got.get(0);
      assertThat((Throwable) r0[0]).hasMessageContaining("rank 0 of 2").hasMessageContaining("the run cannot continue")
          .hasMessageNotContaining("frame #");
      assertThat((double) r0[1]).isBetween(1.0, 10.0);
    }
  }

  @Test
  void metricNamesMustAgree() throws Exception {
    try (InProcessRanks w = new InProcessRanks(2, Duration.ofSeconds(20), 1)) {
      List<Throwable> errors = w.failuresOnEachRank(c -> c.meanOver(Map.of(c.rank() == 0 ? "loss" : "los", 1.0)));
      assertThat(errors).allSatisfy(e -> assertThat(e).isInstanceOf(DistributedException.class)
          .hasMessageContaining("ranks disagree on meanOver"));
    }
  }

  @Test
  void aWorldOfOneThroughAFileStoreIsTheIdentity(@TempDir Path dir) {
    DistributedConfig cfg = DistributedConfig.builder().rendezvous(Rendezvous.FILE).storeFile(dir.resolve("store"))
        .timeout(Duration.ofSeconds(10)).build();
    try (C10dContext c = C10dContext.connect(cfg); PointerScope s = new PointerScope()) {
      assertThat(c.isMain()).isTrue();
      assertThat(c.allGather(new double[] {1, 2})).containsExactly(1, 2);
      assertThat(c.meanOver(Map.of("x", 4.0))).containsEntry("x", 4.0);
      Tensor p = torch.ones(new long[] {3}, new TensorOptions(ScalarType.Double)).set_requires_grad(true);
      p.mul(p).sum().backward();
      c.gradientSynchronizer().synchronize(List.of(p));
      double[] g = new double[3];
      new DoublePointer(p.grad().contiguous().data_ptr_double()).get(g);
      assertThat(g).containsExactly(2, 2, 2);
      c.barrier();
    }
  }

  @Test
  void withTorchrunsAgentStoreEveryRankIsAClientUnderTheAttemptPrefix() throws Exception {
    int port = InProcessRanks.freePort();
    // the "agent": a TCPStore server nobody else serves, as torchrun's elastic agent hosts it
    TCPStoreOptions so = new TCPStoreOptions();
    so.port((short) port).isServer(true).waitWorkers(false).timeout(new Milliseconds(20000));
    try (TCPStore agent = new TCPStore("127.0.0.1", so)) {
      agent.set("/worker/attempt_0/0/1", "stale key of a failed attempt");
      Map<String, String> env = new HashMap<>(Map.of("MASTER_ADDR", "127.0.0.1", "MASTER_PORT",
          Integer.toString(port), "WORLD_SIZE", "2", "TORCHELASTIC_USE_AGENT_STORE", "True",
          "TORCHELASTIC_RESTART_COUNT", "1", "ARGRPO_DIST_TIMEOUT_S", "20"));
      try (InProcessRanks w = new InProcessRanks(2, port, b -> {
        DistributedConfig fromEnv = DistributedConfig.fromEnvironment(new HashMap<>(env) {
          {
            put("RANK", "0");
          }
        });
        assertThat(fromEnv.agentStore()).isTrue();
        assertThat(fromEnv.restartCount()).isEqualTo(1);
        return b.agentStore(true).restartCount(1).timeout(Duration.ofSeconds(20));
      })) {
        assertThat(w.onEachRank(c -> c.allGather(new double[] {c.rank()}))).allSatisfy(a -> assertThat(a).containsExactly(0, 1));
      }
      // the group's keys went under the attempt's prefix of the agent's store
      // (under the attempt-0 prefix the restarted run would have read the stale key as rank 1's address)
      assertThat(agent.check(new StringVector("/worker/attempt_1/0/0", "/worker/attempt_1/0/1")))
          .isTrue();
    }
  }

  @Test
  void anNcclConfigFailsClearlyOnTheCpuBuild() {
    DistributedConfig cfg = DistributedConfig.builder().backend(DistributedBackend.NCCL).rendezvous(Rendezvous.FILE)
        .storeFile(Path.of(System.getProperty("java.io.tmpdir"), "argrpo-nccl-" + System.nanoTime()))
        .timeout(Duration.ofSeconds(5)).build();
    assertThatThrownBy(() -> C10dContext.connect(cfg)).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("backend nccl needs the CUDA build").hasMessageContaining("gloo");
  }
}
