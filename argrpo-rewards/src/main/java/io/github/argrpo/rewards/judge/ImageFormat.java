package io.github.argrpo.rewards.judge;

/** How an image travels to the judge inside its {@code data:} URL. */
public enum ImageFormat {
  /** {@code image/jpeg} at {@link JudgeConfig#jpegQuality()}; AR-GRPO sends PIL's default JPEG (quality 75). */
  JPEG("image/jpeg", "jpeg"),
  /** {@code image/png}, lossless. */
  PNG("image/png", "png");

  private final String mimeType;
  private final String imageIoName;

  ImageFormat(String mimeType, String imageIoName) {
    this.mimeType = mimeType;
    this.imageIoName = imageIoName;
  }

  /** The MIME type in the data URL. */
  public String mimeType() {
    return mimeType;
  }

  /** The {@code javax.imageio} format name. */
  String imageIoName() {
    return imageIoName;
  }
}
