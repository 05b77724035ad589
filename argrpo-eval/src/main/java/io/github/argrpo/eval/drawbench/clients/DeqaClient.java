package io.github.argrpo.eval.drawbench.clients;

import static com.google.common.base.Preconditions.checkState;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import io.github.argrpo.core.image.ImageBatch;
import io.github.argrpo.eval.drawbench.DrawbenchScorer;
import io.github.argrpo.eval.drawbench.PixelConversion;
import io.github.argrpo.eval.drawbench.ScorerInfo;

/**
 * DeQA-Score ({@code zhiyuanyou/DeQA-Score-Mix3}) through AR-GRPO's reward server
 * ({@code benchmark/reward-server/app_deqa.py}, {@code 127.0.0.1:18086}), called as
 * {@code reward_utils/deqa_client.py} does: images rounded to 8 bits, JPEG-encoded at quality 75 (Pillow's
 * default), POSTed in batches of 64 as {@code pickle.dumps({"images": [jpeg bytes, ...]})}; the reply is
 * {@code pickle.dumps({"outputs": [score, ...]})}, already divided by 5 by the server.
 *
 * <pre>{@code
 * try (DeqaClient d = new DeqaClient(URI.create("http://127.0.0.1:18086"))) {
 *   double[] v = d.score(images, prompts);   // prompts are not used
 * }
 * }</pre>
 *
 * <p>The JPEG bytes come from {@code javax.imageio}, not libjpeg: the decoded pixels differ slightly from
 * Pillow's (a fraction of a level), so scores agree with the reference's closely, not bit for bit.
 * A 500 reply is retried (the reference retries without limit); other failures are errors.
 */
public final class DeqaClient implements DrawbenchScorer {

  /** The reference's server address. */
  public static final String DEFAULT_URL = "http://127.0.0.1:18086";
  /** {@code deqa_score(batch_size=64)}. */
  public static final int BATCH = 64;
  private static final int ATTEMPTS = 5;

  private final URI url;
  private final HttpClient http;

  /** A client for the server at {@code url}. */
  public DeqaClient(URI url) {
    this.url = url;
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public ScorerInfo info() {
    return new ScorerInfo("deqa", "zhiyuanyou/DeQA-Score-Mix3 via the reward server at " + url, "server",
        PixelConversion.ROUND, "server's model.score(images) / 5; JPEG quality 75", 1.0);
  }

  @Override
  public double[] score(ImageBatch images, List<String> prompts) {
    DrawbenchScorer.checkCounts(images, prompts, "deqa");
    double[] out = new double[images.count()];
    for (int from = 0; from < out.length; from += BATCH) {
      int to = Math.min(out.length, from + BATCH);
      List<byte[]> jpegs = new ArrayList<>();
      for (int i = from; i < to; i++) {
        jpegs.add(jpeg(images, i));
      }
      double[] v = post(PickleCodec.imagesRequest(jpegs), to - from);
      System.arraycopy(v, 0, out, from, v.length);
    }
    return out;
  }

  private double[] post(byte[] body, int n) {
    HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(120))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    String last = "";
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      HttpResponse<byte[]> r;
      try {
        r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      } catch (IOException e) {
        throw new IllegalStateException("DeQA reward server " + url + " is unreachable: " + e.getMessage()
            + " (start benchmark/reward-server's app_deqa.py, see docs/evaluation.md, or leave out --deqa-url)", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the DeQA server", e);
      }
      if (r.statusCode() == 500) {
        last = new String(r.body(), StandardCharsets.UTF_8);
        continue;
      }
      checkState(r.statusCode() == 200, "DeQA reward server %s answered HTTP %s", url, r.statusCode());
      return outputs(r.body(), n);
    }
    throw new IllegalStateException("DeQA reward server " + url + " failed " + ATTEMPTS + " times with HTTP 500: "
        + last.substring(0, Math.min(last.length(), 400)));
  }

  /** The {@code outputs} list of a reply, which must hold {@code n} numbers. */
  static double[] outputs(byte[] reply, int n) {
    Object o = PickleCodec.read(reply);
    if (!(o instanceof Map<?, ?> m) || !(m.get("outputs") instanceof List<?> list)) {
      throw new IllegalStateException("DeQA reply is not {\"outputs\": [...]}: got " + o);
    }
    checkState(list.size() == n, "DeQA reply has %s outputs for %s images", list.size(), n);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      if (!(list.get(i) instanceof Number num)) {
        throw new IllegalStateException("DeQA output " + i + " is not a number: " + list.get(i));
      }
      v[i] = num.doubleValue();
    }
    return v;
  }

  /** Image {@code i} rounded to 8 bits, as a quality-75 JPEG. */
  static byte[] jpeg(ImageBatch images, int i) {
    int w = images.width();
    int h = images.height();
    byte[] rgb = PixelConversion.ROUND.toUint8Hwc(images, i);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int p = 0; p < w * h; p++) {
      img.setRGB(p % w, p / w, ((rgb[3 * p] & 0xFF) << 16) | ((rgb[3 * p + 1] & 0xFF) << 8) | (rgb[3 * p + 2] & 0xFF));
    }
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    try (ByteArrayOutputStream out = new ByteArrayOutputStream();
        MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      ImageWriteParam param = writer.getDefaultWriteParam();
      param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      param.setCompressionQuality(0.75f);
      writer.setOutput(stream);
      writer.write(null, new IIOImage(img, null, null), param);
      stream.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("JPEG encoding failed: " + e.getMessage(), e);
    } finally {
      writer.dispose();
    }
  }
}
