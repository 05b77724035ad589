package io.github.argrpo.examples.bench;

import java.util.Locale;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
import io.github.argrpo.examples.run.ModelSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The picocli converters of the benchmarks' option values. A bad value fails while the command line
 * is parsed, so the user gets picocli's "Invalid value for option" line, the usage and exit code 2
 * before anything is built or timed.
 *
 * <pre>{@code
 * @Option(names = "--iters", defaultValue = "3", converter = BenchConverters.PositiveInt.class)
 * int iters;
 * }</pre>
 */
final class BenchConverters {

  private BenchConverters() {}

  /** A count: an integer {@code >= 1}. */
  static final class PositiveInt implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      int v;
      try {
        v = Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new TypeConversionException("'" + value + "' is not an integer");
      }
      if (v < 1) {
        throw new TypeConversionException("must be >= 1, got " + v);
      }
      return v;
    }
  }

  /** {@code fp32} or {@code bf16} (the spellings of {@link Precision#parse}). */
  static final class PrecisionValue implements ITypeConverter<Precision> {
    @Override
    public Precision convert(String value) {
      try {
        return Precision.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A GPT's precision: {@code fp32}, {@code bf16} or {@code bf16-mixed} (fp32 weights under bf16 autocast). */
  record GptPrecision(Precision weights, boolean bf16Autocast) {
    /** The label the tables print. */
    String label() {
      return bf16Autocast ? ModelSpec.BF16_MIXED : weights.name().toLowerCase(Locale.ROOT);
    }

    /** The dtype its matmuls run in, for the machine-peak yardstick. */
    Precision matmuls() {
      return bf16Autocast ? Precision.BF16 : weights;
    }
  }

  /** {@code fp32}, {@code bf16} or {@code bf16-mixed}. */
  static final class GptPrecisionValue implements ITypeConverter<GptPrecision> {
    @Override
    public GptPrecision convert(String value) {
      if (value.strip().equalsIgnoreCase(ModelSpec.BF16_MIXED)) {
        return new GptPrecision(Precision.FP32, true);
      }
      try {
        return new GptPrecision(Precision.parse(value), false);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage() + " (or " + ModelSpec.BF16_MIXED + ")");
      }
    }
  }

  /** {@code cpu}, {@code cuda}, {@code cuda:N} or {@code auto} (the spellings of {@link DeviceSpec#parse}). */
  static final class DeviceValue implements ITypeConverter<DeviceSpec> {
    @Override
    public DeviceSpec convert(String value) {
      try {
        return DeviceSpec.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
