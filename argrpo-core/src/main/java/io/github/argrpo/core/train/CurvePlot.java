package io.github.argrpo.core.train;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import io.github.argrpo.core.image.ImageGrid;

/**
 * Draws {@code reward_curve.png}: one panel per metric (reward, KL, entropy by default) over steps,
 * with plain Java2D so runs need no plotting library.
 */
public final class CurvePlot {

  private CurvePlot() {}

  /** Plots {@code metrics} of {@code records}, one panel each, into a PNG. */
  public static void write(List<StepRecord> records, List<String> metrics, Path file) {
    int panelW = 420;
    int panelH = 260;
    BufferedImage img = new BufferedImage(panelW * metrics.size(), panelH, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (int i = 0; i < metrics.size(); i++) {
        panel(g, records, metrics.get(i), i * panelW, panelW, panelH);
      }
    } finally {
      g.dispose();
    }
    ImageGrid.writePng(img, file);
  }

  private static void panel(Graphics2D g, List<StepRecord> records, String metric, int x0, int w, int h) {
    int left = x0 + 60;
    int right = x0 + w - 15;
    int top = 30;
    int bottom = h - 35;
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
    g.drawString(metric, x0 + w / 2 - 4 * metric.length(), 18);
    g.drawRect(left, top, right - left, bottom - top);
    if (minX > maxX) {
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
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    g.drawString(fmt(maxY), x0 + 4, top + 10);
    g.drawString(fmt(minY), x0 + 4, bottom);
    g.drawString(String.valueOf((long) minX), left, bottom + 15);
    g.drawString(String.valueOf((long) maxX), right - 30, bottom + 15);
    g.drawString("step", (left + right) / 2 - 10, bottom + 28);
    g.setColor(new Color(31, 119, 180));
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
  }

  private static String fmt(double v) {
    return Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v != 0) ? String.format(Locale.ROOT, "%.2e", v)
        : String.format(Locale.ROOT, "%.3f", v);
  }
}
