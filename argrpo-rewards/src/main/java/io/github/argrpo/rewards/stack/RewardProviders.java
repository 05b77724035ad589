package io.github.argrpo.rewards.stack;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeSet;

import io.github.argrpo.core.reward.RewardFunction;

/**
 * The reward providers available by name, found through {@link ServiceLoader}
 * ({@code META-INF/services/io.github.argrpo.rewards.stack.RewardProvider}) or given explicitly.
 *
 * <pre>{@code
 * RewardProviders providers = RewardProviders.load();
 * providers.names();                          // [colorfulness, jpeg_compressibility, maniqa, sharpness, ...]
 * RewardFunction r = providers.create(RewardSpec.builder("sharpness").build());
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class RewardProviders {

  private final Map<String, RewardProvider> providers;

  private RewardProviders(Map<String, RewardProvider> providers) {
    this.providers = Map.copyOf(providers);
  }

  /** The providers on the class path (thread context class loader, else this class's loader). */
  public static RewardProviders load() {
    ClassLoader cl = Thread.currentThread().getContextClassLoader();
    ServiceLoader<RewardProvider> loader = ServiceLoader.load(RewardProvider.class,
        cl != null ? cl : RewardProviders.class.getClassLoader());
    return of(loader.stream().map(ServiceLoader.Provider::get).toList());
  }

  /** Exactly {@code providers}; names must be unique. */
  public static RewardProviders of(List<? extends RewardProvider> providers) {
    Map<String, RewardProvider> m = new LinkedHashMap<>();
    for (RewardProvider p : providers) {
      RewardProvider old = m.put(p.name(), p);
      if (old != null) {
        throw new IllegalStateException("two reward providers are named '" + p.name() + "': "
            + old.getClass().getName() + " and " + p.getClass().getName());
      }
    }
    return new RewardProviders(m);
  }

  /** The registered names, sorted. */
  public Set<String> names() {
    return new TreeSet<>(providers.keySet());
  }

  /** The provider of {@code name}; an error listing the available names if there is none. */
  public RewardProvider provider(String name) {
    RewardProvider p = providers.get(name);
    checkArgument(p != null, "unknown reward '%s'; available: %s%s", name, names(),
        name != null && (name.equals("clip") || name.equals("hpsv2"))
            ? " (the clip/hpsv2 providers come with the CLIP reward module)" : "");
    return p;
  }

  /** A new raw reward for {@code spec}; the caller closes it. */
  public RewardFunction create(RewardSpec spec) {
    return provider(spec.name()).create(spec);
  }
}
