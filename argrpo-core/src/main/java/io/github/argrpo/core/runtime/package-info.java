/**
 * Native runtime setup: {@link io.github.argrpo.core.runtime.NativeRuntime} prepares libtorch once per
 * JVM (cache pre-extraction, threads, memory-check setting, the self-check of the bindings' reversed AdamW
 * betas layout that {@code grpo.AdamWFactory} relies on), and {@link io.github.argrpo.core.runtime.Precision} and
 * {@link io.github.argrpo.core.runtime.DeviceSpec} name the numeric type and the device, and
 * {@link io.github.argrpo.core.runtime.LongLived} builds models out of reach of the caller's {@code PointerScope}.
 */
package io.github.argrpo.core.runtime;
