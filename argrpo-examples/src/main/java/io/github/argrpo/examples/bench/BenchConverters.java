package io.github.argrpo.examples.bench;

import io.github.argrpo.core.runtime.DeviceSpec;
import io.github.argrpo.core.runtime.Precision;
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
