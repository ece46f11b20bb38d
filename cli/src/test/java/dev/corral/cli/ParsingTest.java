package dev.corral.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class ParsingTest {
  private static final Clock NOW =
      Clock.fixed(Instant.parse("2026-11-23T17:00:00Z"), ZoneOffset.UTC);

  @Test
  void sizesTakeDockerSuffixes() {
    assertEquals(64L << 20, Sizes.parse("64m"));
    assertEquals(64L << 20, Sizes.parse("64MiB"));
    assertEquals(1L << 30, Sizes.parse("1g"));
    assertEquals(512L << 10, Sizes.parse("512k"));
    assertEquals(1000L, Sizes.parse("1000"));
    assertThrows(TypeConversionException.class, () -> Sizes.parse("lots"));
    assertThrows(TypeConversionException.class, () -> Sizes.parse("-1m"));
    assertThrows(TypeConversionException.class, () -> Sizes.parse(""));
  }

  @Test
  void sizesTakeFractionsAndEveryDockerUnit() {
    assertEquals(512L << 20, Sizes.parse("0.5g"));
    assertEquals(1L << 40, Sizes.parse("1t"));
    assertEquals(1L << 50, Sizes.parse("1P"));
    assertEquals(100L << 20, Sizes.parse("100m"));
    assertEquals(1536L, Sizes.parse("1.5k"));
    assertEquals(100L, Sizes.parse("100b"));
    assertEquals(1L << 30, Sizes.parse("1 GB"));
    assertEquals(1L, Sizes.parse("1.9")); // docker truncates to whole bytes
    assertThrows(TypeConversionException.class, () -> Sizes.parse("1x"));
    assertThrows(TypeConversionException.class, () -> Sizes.parse(".5g"));
    assertThrows(TypeConversionException.class, () -> Sizes.parse("9999999p"));
  }

  @Test
  void sinceDurationsBecomeTimesAndTimesPassThrough() {
    assertEquals("2026-11-23T16:50:00.000000000Z", Times.since("10m", NOW));
    assertEquals("2026-11-23T15:30:00.000000000Z", Times.since("1h30m", NOW));
    assertEquals("2026-11-22T17:00:00.000000000Z", Times.since("1d", NOW));
    assertEquals("2026-11-23T10:00:00Z", Times.since("2026-11-23T10:00:00Z", NOW));
    assertEquals("1795000000.5", Times.since("1795000000.5", NOW));
    assertEquals(null, Times.since(null, NOW));
  }

  @Test
  void psRowsAreDockerLike() {
    var c =
        JsonParser.parseString(
                "{\"id\":\"c1\",\"status\":\"stopped\",\"pid\":0,"
                    + "\"createdAt\":\"2026-11-23T16:57:00Z\",\"exitCode\":137}")
            .getAsJsonObject();
    assertEquals(List.of("c1", "stopped", "-", "3 minutes ago", "137"), PsCommand.row(c, NOW));
    assertEquals("1 second ago", PsCommand.ago(Instant.parse("2026-11-23T16:59:59Z"), NOW));
    assertEquals("2 hours ago", PsCommand.ago(Instant.parse("2026-11-23T15:00:00Z"), NOW));
    assertEquals("just now", PsCommand.ago(Instant.parse("2026-11-23T17:00:00Z"), NOW));
  }

  @Test
  void tablesAlignColumnsWithoutTrailingBlanks() {
    String t =
        Table.format(
            List.of("ID", "STATUS", "EXIT"),
            List.of(List.of("web", "running", "-"), List.of("a-long-id", "stopped", "")));
    assertEquals("ID          STATUS    EXIT\nweb         running   -\na-long-id   stopped\n", t);
  }

  @Test
  void eventsReadAsOneLine() {
    var e =
        JsonParser.parseString(
                "{\"seq\":42,\"timestamp\":\"2026-11-23T16:28:46.284849964Z\",\"type\":\"exit\","
                    + "\"id\":\"c1\",\"pid\":\"init\",\"status\":3}")
            .getAsJsonObject();
    assertEquals(
        "2026-11-23T16:28:46.284849964Z exit c1 pid=init status=3", EventsCommand.readable(e));
    var inDefault =
        JsonParser.parseString(
                "{\"seq\":43,\"timestamp\":\"T\",\"type\":\"restart\",\"id\":\"c1\","
                    + "\"namespace\":\"default\",\"restartCount\":2}")
            .getAsJsonObject();
    assertEquals("T restart c1 restartCount=2", EventsCommand.readable(inDefault));
    var inPod =
        JsonParser.parseString(
                "{\"seq\":44,\"timestamp\":\"T\",\"type\":\"pod-create\",\"namespace\":\"team\","
                    + "\"pod\":\"u1\",\"labels\":{\"a\":\"b\"},\"exitCode\":null}")
            .getAsJsonObject();
    assertEquals(
        "T pod-create namespace=team pod=u1 labels={\"a\":\"b\"} exitCode=-",
        EventsCommand.readable(inPod));
  }

  @Test
  void daemonErrorsCarryItsMessage() {
    CliException e =
        assertThrows(
            CliException.class,
            () ->
                Client.check(
                    new Client.Reply(
                        404, "{\"message\":\"container c1: not found\",\"code\":\"not_found\"}")));
    assertEquals("container c1: not found", e.getMessage());
    CliException raw =
        assertThrows(CliException.class, () -> Client.check(new Client.Reply(502, "bad gateway")));
    assertEquals("corrald answered 502: bad gateway", raw.getMessage());
    assertEquals(200, Client.check(new Client.Reply(200, "{}")).status());
  }

  @Test
  void queriesEncodeAndSkipAbsentValues() {
    assertEquals("", new Query().add("a", null).flag("f", false).toString());
    assertEquals(
        "?follow=1&label=a%3Db&since=2026-11-23T10%3A00%3A00Z",
        new Query()
            .flag("follow", true)
            .add("label", "a=b")
            .add("since", "2026-11-23T10:00:00Z")
            .toString());
    assertTrue(new Query().add("x", "1").toString().startsWith("?"));
  }
}
