package dev.corral.runtime;

/** The runtime's native bindings, all of them jnr-ffi classes generated at first use. */
public final class Natives {
  private Natives() {}

  /**
   * Binds every native call of this module now, rather than at first use: jnr-ffi generates each
   * binding, which takes tens of milliseconds on a cold JVM, so corrald does it on a thread of its
   * own while it parses its arguments. Safe from any thread, any number of times (class
   * initialization runs once; a second caller waits for the first).
   */
  public static void load() {
    ProcessSignals.load();
    ControlFifo.load();
    PosixSpawn.load();
    SeqPacketSocket.load();
  }
}
