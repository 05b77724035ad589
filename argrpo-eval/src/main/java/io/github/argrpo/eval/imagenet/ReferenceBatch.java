package io.github.argrpo.eval.imagenet;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch.ScalarType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.argrpo.eval.imagenet.adm.FeatureMatrix;
import io.github.argrpo.eval.imagenet.adm.FeatureStatistics;
import io.github.argrpo.eval.imagenet.inception.FidInceptionV3;
import io.github.argrpo.eval.imagenet.inception.InceptionOutputs;
import io.github.argrpo.weights.SafetensorsFile;
import io.github.argrpo.weights.SafetensorsWriter;

/**
 * An ADM reference batch ({@code VIRTUAL_imagenet256_labeled.npz}: {@code arr_0} images, and
 * usually {@code mu}, {@code sigma}, {@code mu_s}, {@code sigma_s}) made ready for evaluation.
 *
 * <p>As the evaluator's {@code read_statistics} does, stored statistics are used as they are; the
 * activations for precision/recall are always those of {@code arr_0}. Computing them takes the
 * network a while (10,000 images), so they are cached once beside the {@code .npz}, in
 * {@code <name>.inception-<precision>.safetensors}, keyed by the weight file's name and size and the
 * {@code .npz}'s size; a cache that does not match is recomputed.
 *
 * @param pool the reference pool_3 activations
 * @param poolStats the FID statistics
 * @param spatialStats the sFID statistics
 * @param statisticsSource {@code npz} (stored in the batch), {@code cache} or {@code computed}
 */
public record ReferenceBatch(FeatureMatrix pool, FeatureStatistics poolStats, FeatureStatistics spatialStats,
    String statisticsSource) {

  private static final Logger LOG = LoggerFactory.getLogger(ReferenceBatch.class);
  private static final String CACHE_FORMAT = "argrpo-adm-reference/1";

  /**
   * Loads {@code npz}, computing (or reading cached) activations with {@code net}.
   *
   * @param weights the network's weight file (names the cache key)
   */
  public static ReferenceBatch load(Path npz, FidInceptionV3 net, Path weights, int batch,
      SetFeatures.Progress progress) throws IOException {
    Map<String, double[]> stored = storedStatistics(npz);
    Path cache = cachePath(npz, net);
    Map<String, String> key = Map.of("format", CACHE_FORMAT, "weights",
        weights.getFileName() + ":" + Files.size(weights), "precision", net.precision().name(),
        "npz_size", Long.toString(Files.size(npz)));
    SetFeatures f = readCache(cache, key);
    String source = "cache";
    if (f == null) {
      LOG.info("computing the reference activations of {} (cached afterwards in {})", npz, cache);
      try (ImageSource images = NpzImages.open(npz, "arr_0")) {
        f = SetFeatures.extract(images, net, batch, progress);
      }
      writeCache(cache, key, f);
      source = "computed";
    }
    if (stored.keySet().containsAll(List.of("mu", "sigma", "mu_s", "sigma_s"))) {
      return new ReferenceBatch(f.pool(), stats(stored.get("mu"), stored.get("sigma")),
          stats(stored.get("mu_s"), stored.get("sigma_s")), "npz");
    }
    return new ReferenceBatch(f.pool(), f.poolStats(), f.spatialStats(), source);
  }

  /** Where the activations of {@code npz} are cached for {@code net}'s precision. */
  public static Path cachePath(Path npz, FidInceptionV3 net) {
    String name = npz.getFileName().toString();
    String base = name.endsWith(".npz") ? name.substring(0, name.length() - 4) : name;
    return npz.resolveSibling(base + ".inception-" + net.precision().name().toLowerCase(Locale.ROOT)
        + ".safetensors");
  }

  private static FeatureStatistics stats(double[] mu, double[] sigma) {
    float[] m = new float[mu.length];
    for (int i = 0; i < m.length; i++) {
      m[i] = (float) mu[i];
    }
    return new FeatureStatistics(m, sigma, 0);
  }

  /** The float arrays {@code mu}, {@code sigma}, {@code mu_s}, {@code sigma_s} that {@code npz} holds. */
  private static Map<String, double[]> storedStatistics(Path npz) throws IOException {
    Map<String, double[]> out = new LinkedHashMap<>();
    try (ZipFile zip = new ZipFile(npz.toFile())) {
      for (String name : new String[] {"mu", "sigma", "mu_s", "sigma_s"}) {
        ZipEntry e = zip.getEntry(name + ".npy");
        if (e != null) {
          try (InputStream in = zip.getInputStream(e)) {
            NpyArray h = NpyArray.readHeader(in, npz + ":" + name);
            out.put(name, h.readDoubles(in, npz + ":" + name));
          }
        }
      }
    }
    return out;
  }

  private static SetFeatures readCache(Path cache, Map<String, String> key) {
    if (!Files.isRegularFile(cache)) {
      return null;
    }
    try (SafetensorsFile f = SafetensorsFile.open(cache); PointerScope scope = new PointerScope()) {
      for (Map.Entry<String, String> e : key.entrySet()) {
        if (!e.getValue().equals(f.metadata().get(e.getKey()))) {
          LOG.info("reference cache {} is for {} = {}, not {}: recomputing", cache, e.getKey(),
              f.metadata().get(e.getKey()), e.getValue());
          return null;
        }
      }
      float[] pool = floats(f.read("pool"));
      int n = pool.length / InceptionOutputs.POOL_DIM;
      return new SetFeatures(new FeatureMatrix(pool, n, InceptionOutputs.POOL_DIM),
          new FeatureStatistics(floats(f.read("pool_mu")), doubles(f.read("pool_sigma")), n),
          new FeatureStatistics(floats(f.read("spatial_mu")), doubles(f.read("spatial_sigma")), n));
    } catch (IOException | RuntimeException e) {
      LOG.warn("unreadable reference cache {} ({}): recomputing", cache, e.getMessage());
      return null;
    }
  }

  private static void writeCache(Path cache, Map<String, String> key, SetFeatures f) {
    try (PointerScope scope = new PointerScope()) {
      Map<String, Tensor> t = new LinkedHashMap<>();
      t.put("pool", Tensor.create(f.pool().data(), f.pool().rows(), f.pool().dim()));
      t.put("pool_mu", Tensor.create(f.poolStats().mu(), f.poolStats().dim()));
      t.put("pool_sigma", Tensor.create(f.poolStats().sigma(), f.poolStats().dim(), f.poolStats().dim()));
      t.put("spatial_mu", Tensor.create(f.spatialStats().mu(), f.spatialStats().dim()));
      t.put("spatial_sigma", Tensor.create(f.spatialStats().sigma(), f.spatialStats().dim(), f.spatialStats().dim()));
      SafetensorsWriter.write(cache, t, key);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not cache the reference activations in {} ({}); they will be recomputed next time", cache,
          e.getMessage());
    }
  }

  private static float[] floats(Tensor t) {
    Tensor c = t.to(ScalarType.Float).contiguous();
    float[] out = new float[(int) c.numel()];
    c.data_ptr_float().get(out);
    return out;
  }

  private static double[] doubles(Tensor t) {
    Tensor c = t.to(ScalarType.Double).contiguous();
    double[] out = new double[(int) c.numel()];
    c.data_ptr_double().get(out);
    return out;
  }
}
