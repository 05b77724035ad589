package io.github.argrpo.examples.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import io.github.argrpo.core.image.Png;
import io.github.argrpo.core.train.StepRecord;

/**
 * The run folder's pictures, drawn with plain Java2D so runs need no plotting library:
 * {@code reward_curve.png} (one panel per metric: reward, KL and entropy) and
 * {@code reward_components.png} (one panel per reward component, {@code reward/<name>}, as the paper's
 * Figures 14 and 15 show them). Every panel has a title, labelled axes ("step" and the metric) and
 * round-numbered ticks with light grid lines.
 */
public final class CurvePlot {

  /** The file name of the per-component picture, written beside {@code reward_curve.png}. */
  public static final String COMPONENTS_FILE = "reward_components.png";

  private static final String COMPONENT_PREFIX = "reward/";
  private static final int PANEL_W = 420;
  private static final int PANEL_H = 280;
  private static final int COLUMNS = 3;
  private static final int TICKS = 5;
  private static final Color LINE = new Color(31, 119, 180);
  private static final Color GRID = new Color(225, 225, 225);

  private CurvePlot() {}

  /** Plots {@code metrics} of {@code records}, one panel each side by side, into a PNG. */
  public static void write(List<StepRecord> records, List<String> metrics, Path file) {
    draw(records, metrics, metrics.size(), file);
  }

  /**
   * Plots every reward component ({@code reward/<name>} keys, in first-seen order) of {@code records},
   * {@value #COLUMNS} panels a row, into a PNG; a run without components gets a single "no data" panel.
   */
  public static void writeComponents(List<StepRecord> records, Path file) {
    List<String> keys = componentKeys(records);
    if (keys.isEmpty()) {
      draw(records, List.of(COMPONENT_PREFIX + "*"), 1, file);
    } else {
      draw(records, keys, Math.min(COLUMNS, keys.size()), file);
    }
  }

  /** The {@code reward/<name>} keys of {@code records}, in first-seen order. */
  public static List<String> componentKeys(List<StepRecord> records) {
    Set<String> keys = new LinkedHashSet<>();
    for (StepRecord r : records) {
      for (String k : r.metrics().keySet()) {
        if (k.startsWith(COMPONENT_PREFIX)) {
          keys.add(k);
        }
      }
    }
    return new ArrayList<>(keys);
  }

  private static void draw(List<StepRecord> records, List<String> metrics, int columns, Path file) {
    int rows = (metrics.size() + columns - 1) / columns;
    BufferedImage img = new BufferedImage(PANEL_W * columns, PANEL_H * rows, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (int i = 0; i < metrics.size(); i++) {
        panel(g, records, metrics.get(i), (i % columns) * PANEL_W, (i / columns) * PANEL_H);
      }
    } finally {
      g.dispose();
    }
    Png.writeUnchecked(img, file);
  }

  private static void panel(Graphics2D g, List<StepRecord> records, String metric, int x0, int y0) {
    int left = x0 + 78;
    int right = x0 + PANEL_W - 18;
    int top = y0 + 32;
    int bottom = y0 + PANEL_H - 48;
    double minX = Double.POSITIVE_INFINITY;
    double maxX = Double.NEGATIVE_INFINITY;
    double minY = Double.POSITIVE_INFINITY;
    double maxY = Double.NEGATIVE_INFINITY;
    for (StepRecord r : records) {
      double v = r.get(metric);
      if (Double.isFinite(v)) {
        minX = Math.min(minX, r.step());
        maxX = Math.max(maxX, r.step());
        minY = Math.min(minY, v);
        maxY = Math.max(maxY, v);
      }
    }
    g.setColor(Color.DARK_GRAY);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    FontMetrics fm = g.getFontMetrics();
    g.drawString(metric, (left + right) / 2 - fm.stringWidth(metric) / 2, y0 + 20);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    fm = g.getFontMetrics();
    g.drawString("step", (left + right) / 2 - fm.stringWidth("step") / 2, bottom + 36);
    verticalLabel(g, metric, x0 + 14, (top + bottom) / 2 + fm.stringWidth(metric) / 2);
    if (minX > maxX) {
      g.drawRect(left, top, right - left, bottom - top);
      g.drawString("no data", left + 10, top + 20);
      return;
    }
    if (maxY - minY < 1e-12) {
      maxY += 0.5;
      minY -= 0.5;
    }
    if (maxX == minX) {
      maxX += 1;
    }
    double[] yTicks = ticks(minY, maxY);
    double[] xTicks = ticks(minX, maxX);
    minY = Math.min(minY, yTicks[0]);
    maxY = Math.max(maxY, yTicks[yTicks.length - 1]);
    for (double t : yTicks) {
      int y = bottom - (int) Math.round((t - minY) / (maxY - minY) * (bottom - top));
      g.setColor(GRID);
      g.drawLine(left, y, right, y);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(left - 4, y, left, y);
      String s = label(t, yTicks);
      g.drawString(s, left - 7 - fm.stringWidth(s), y + 4);
    }
    for (double t : xTicks) {
      if (t < minX - 1e-9 || t > maxX + 1e-9 || t != Math.rint(t)) {
        continue;
      }
      int x = left + (int) Math.round((t - minX) / (maxX - minX) * (right - left));
      g.setColor(GRID);
      g.drawLine(x, top, x, bottom);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(x, bottom, x, bottom + 4);
      String s = String.valueOf((long) t);
      g.drawString(s, x - fm.stringWidth(s) / 2, bottom + 17);
    }
    g.setColor(Color.DARK_GRAY);
    g.drawRect(left, top, right - left, bottom - top);
    g.setColor(LINE);
    g.setStroke(new BasicStroke(1.8f));
    int px = -1;
    int py = -1;
    for (StepRecord r : records) {
      double v = r.get(metric);
      if (!Double.isFinite(v)) {
        continue;
      }
      int x = left + (int) Math.round((r.step() - minX) / (maxX - minX) * (right - left));
      int y = bottom - (int) Math.round((v - minY) / (maxY - minY) * (bottom - top));
      if (px >= 0) {
        g.drawLine(px, py, x, y);
      } else {
        g.fillOval(x - 2, y - 2, 4, 4);
      }
      px = x;
      py = y;
    }
    g.setStroke(new BasicStroke(1f));
  }

  private static void verticalLabel(Graphics2D g, String text, int x, int y) {
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2, x, y);
    g.drawString(text, x, y);
    g.setTransform(saved);
  }

  /**
   * About {@value #TICKS} round tick values covering {@code [lo, hi]}: the step is 1, 2 or 5 times a
   * power of ten, the first tick the largest multiple of it at or below {@code lo}, the last the
   * smallest at or above {@code hi} (the "nice numbers" of Heckbert, Graphics Gems, 1990).
   */
  static double[] ticks(double lo, double hi) {
    double raw = (hi - lo) / (TICKS - 1);
    double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
    double f = raw / magnitude;
    double step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    double first = Math.floor(lo / step + 1e-9) * step;
    double last = Math.ceil(hi / step - 1e-9) * step;
    int n = (int) Math.round((last - first) / step) + 1;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = first + i * step;
    }
    return out;
  }

  /** A tick label with as many decimals as the tick step needs. */
  private static String label(double v, double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    if (Math.abs(v) < step * 1e-6) {
      return "0";
    }
    if (step >= 1e5 || step < 1e-4) {
      return String.format(Locale.ROOT, "%.1e", v);
    }
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    return String.format(Locale.ROOT, "%." + decimals + "f", v);
  }
}
