package io.github.argrpo.examples.cli;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.bytedeco.javacpp.Loader;
import org.bytedeco.pytorch.global.torch;

import io.github.argrpo.core.runtime.Bf16Support;
import io.github.argrpo.core.runtime.NativeRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code argrpo env}: the block a bug report needs, one {@code name: value} line each: argrpo, Java, OS,
 * CPU and its features (avx512_bf16 decides whether bf16 is fast), libtorch and the Bytedeco presets,
 * the native flavour, CUDA, threads, the OpenMP spin setting and the native cache.
 */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = {"Prints the environment a bug report needs: versions, CPU features, CUDA, threads, native cache."})
public final class EnvCommand implements Callable<Integer> {

  /** CPU flags of /proc/cpuinfo that change which kernels libtorch and OpenBLAS run. */
  static final List<String> CPU_FLAGS = List.of("avx2", "fma", "avx512f", "avx512_bf16", "amx_bf16", "amx_tile");

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    lines().forEach((k, v) -> o.println(String.format(Locale.ROOT, "%-13s %s", k + ":", v)));
    o.flush();
    return 0;
  }

  /** The report, by line name. */
  static Map<String, String> lines() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("argrpo", ArgrpoVersion.version());
    m.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
        + System.getProperty("java.home") + ")");
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    List<String> cpuinfo = cpuinfo();
    m.put("cpu", cpuModel(cpuinfo) + ", " + Runtime.getRuntime().availableProcessors() + " processors available");
    m.put("cpu features", cpuFeatures(cpuinfo));
    m.put("bf16 kernels", Bf16Support.viaFp32() ? "through fp32 (no oneDNN bf16 on this CPU; -D" + Bf16Support.PROPERTY
        + " overrides)" : "native (oneDNN)");
    NativeRuntime.init();
    String pytorch = version("pytorch");
    m.put("libtorch", pytorch.replaceFirst("-.*", "") + " (cpu capability " + torch.get_cpu_capability().getString() + ")");
    m.put("bytedeco", "pytorch " + pytorch + ", javacpp " + version("javacpp") + ", openblas " + version("openblas"));
    m.put("natives", Loader.getPlatform() + (gpuFlavour() ? " (gpu flavour)" : " (cpu flavour)"));
    boolean cuda = torch.cuda_is_available();
    int devices = cuda ? torch.cuda_device_count() : 0;
    m.put("cuda", cuda ? "available, " + devices + " device(s): " + deviceList(devices) : "not available");
    m.put("threads", NativeRuntime.threads() + " intra-op (argrpo.threads=" + System.getProperty("argrpo.threads", "unset")
        + ", OMP_NUM_THREADS=" + env("OMP_NUM_THREADS") + ")");
    m.put("openmp spin", "GOMP_SPINCOUNT=" + env("GOMP_SPINCOUNT") + ", OMP_WAIT_POLICY=" + env("OMP_WAIT_POLICY"));
    m.put("native cache", nativeCache());
    return m;
  }

  private static String deviceList(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("cuda:" + i);
    }
    return String.join(", ", out);
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null ? "unset" : v;
  }

  private static String version(String artifact) {
    try {
      String v = Loader.getVersion("org.bytedeco", artifact);
      return v == null ? "unknown" : v;
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /** Whether the CUDA natives of the pytorch presets are on the class path. */
  private static boolean gpuFlavour() {
    for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
      String name = Path.of(entry).getFileName() == null ? "" : Path.of(entry).getFileName().toString();
      if (name.startsWith("pytorch-") && name.endsWith("-gpu.jar")) {
        return true;
      }
    }
    return false;
  }

  private static String nativeCache() {
    try {
      return Loader.getCacheDir().getAbsolutePath();
    } catch (IOException e) {
      return "unavailable (" + e.getMessage() + "); set -Dorg.bytedeco.javacpp.cachedir";
    }
  }

  private static List<String> cpuinfo() {
    Path p = Path.of("/proc/cpuinfo");
    try {
      return Files.isReadable(p) ? Files.readAllLines(p) : List.of();
    } catch (IOException e) {
      return List.of();
    }
  }

  static String cpuModel(List<String> cpuinfo) {
    for (String l : cpuinfo) {
      if (l.startsWith("model name")) {
        return l.substring(l.indexOf(':') + 1).trim();
      }
    }
    return System.getProperty("os.arch");
  }

  /** Each of {@link #CPU_FLAGS} as {@code flag yes|no}, from the first {@code flags} line of /proc/cpuinfo. */
  static String cpuFeatures(List<String> cpuinfo) {
    for (String l : cpuinfo) {
      if (l.startsWith("flags")) {
        List<String> flags = List.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"));
        List<String> out = new ArrayList<>();
        for (String f : CPU_FLAGS) {
          out.add(f + " " + (flags.contains(f) ? "yes" : "no"));
        }
        return String.join(", ", out);
      }
    }
    return "unknown (no /proc/cpuinfo)";
  }
}
