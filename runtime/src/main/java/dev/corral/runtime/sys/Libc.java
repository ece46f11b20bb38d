package dev.corral.runtime.sys;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;

/**
 * The one loader of libc bindings: every binding interface of this package ({@code *Calls}) is
 * loaded here, from the platform's C library, so the library name, the loader options and the
 * runtime whose saved errno {@link Errno} reads are the same for all of them.
 *
 * <p>Stateless; any thread may bind (each binding is loaded once, in a static initializer).
 */
final class Libc {
  private static final String NAME = Platform.getNativePlatform().getStandardCLibraryName();

  private Libc() {}

  /** Binds {@code api}, an interface of raw libc calls, to the C library. */
  static <T> T bind(Class<T> api) {
    return LibraryLoader.create(api).load(NAME);
  }
}
