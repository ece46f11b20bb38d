package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** --metrics-address: loopback only, refused with a message that says so. */
class MetricsServerTest {
  @Test
  void acceptsLoopbackAddresses() {
    InetSocketAddress a = MetricsServer.parseLoopback("127.0.0.1:9464");
    assertTrue(a.getAddress().isLoopbackAddress());
    assertEquals(9464, a.getPort());
    assertTrue(MetricsServer.parseLoopback("[::1]:0").getAddress().isLoopbackAddress());
    assertTrue(MetricsServer.parseLoopback("localhost:1").getAddress().isLoopbackAddress());
  }

  @Test
  void refusesANonLoopbackAddressNamingTheRule() {
    CorralException e =
        assertThrows(CorralException.class, () -> MetricsServer.parseLoopback("0.0.0.0:9464"));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    assertEquals(
        "--metrics-address: 0.0.0.0 is not a loopback address; metrics are served on loopback"
            + " only (127.0.0.1 or ::1)",
        e.getMessage());
  }

  @Test
  void refusesMalformedAddresses() {
    for (String bad : new String[] {"9464", ":9464", "127.0.0.1:x", "127.0.0.1:70000"}) {
      CorralException e =
          assertThrows(CorralException.class, () -> MetricsServer.parseLoopback(bad), bad);
      assertTrue(e.getMessage().startsWith("--metrics-address: "), e.getMessage());
    }
  }
}
