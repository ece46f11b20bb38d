package dev.corral.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.corral.core.CorralException;
import dev.corral.core.ErrorKind;
import dev.corral.supervisor.task.ExecProcessRequest;
import dev.corral.supervisor.task.ExecRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExecRequestsTest {
  private static ExecRequest parse(String body) {
    return ProcessRoutes.parse(Json.parseObject(body));
  }

  private static String refusal(String body) {
    CorralException e = assertThrows(CorralException.class, () -> parse(body));
    assertEquals(ErrorKind.INVALID_ARGUMENT, e.kind());
    return e.getMessage();
  }

  @Test
  void aFullRequestKeepsEveryField() {
    ExecRequest r =
        parse(
            "{\"id\":\"e1\",\"args\":[\"sh\",\"-c\",\"exit 7\"],\"env\":[\"A=1\"],"
                + "\"cwd\":\"/tmp\",\"user\":{\"uid\":1000,\"gid\":100},\"terminal\":true,"
                + "\"consoleSize\":{\"height\":37,\"width\":111},\"stdin\":true}");
    assertEquals("e1", r.execId());
    assertEquals(List.of("sh", "-c", "exit 7"), r.process().args());
    assertEquals(List.of("A=1"), r.process().env());
    assertEquals("/tmp", r.process().cwd());
    assertEquals(1000, r.process().uid());
    assertEquals(100, r.process().gid());
    assertEquals(true, r.process().terminal());
    assertEquals(new ExecProcessRequest.ConsoleSize(37, 111), r.process().consoleSize());
    assertEquals(true, r.stdin());
  }

  @Test
  void badRequestsNameTheirField() {
    assertEquals("id: must not be empty", refusal("{\"args\":[\"true\"]}"));
    assertEquals(
        "id: \"../x\" does not match ^[A-Za-z0-9][A-Za-z0-9_.-]{0,75}$",
        refusal("{\"id\":\"../x\",\"args\":[\"true\"]}"));
    assertEquals(
        "id: \"init\" names the container's init",
        refusal("{\"id\":\"init\",\"args\":[\"true\"]}"));
    assertEquals("args: must name a command", refusal("{\"id\":\"e\"}"));
    assertEquals("args: must be an array of strings", refusal("{\"id\":\"e\",\"args\":\"ls\"}"));
    assertEquals(
        "env: \"NOEQUALS\" is not NAME=value",
        refusal("{\"id\":\"e\",\"args\":[\"true\"],\"env\":[\"NOEQUALS\"]}"));
    assertEquals(
        "cwd: tmp is not an absolute path",
        refusal("{\"id\":\"e\",\"args\":[\"true\"],\"cwd\":\"tmp\"}"));
    assertEquals(
        "user.name: unknown field",
        refusal("{\"id\":\"e\",\"args\":[\"true\"],\"user\":{\"name\":\"root\"}}"));
    assertEquals(
        "user.uid: -1 is not a valid id",
        refusal("{\"id\":\"e\",\"args\":[\"true\"],\"user\":{\"uid\":-1}}"));
    assertEquals("detach: unknown field", refusal("{\"id\":\"e\",\"detach\":true}"));
    String tty = "{\"id\":\"e\",\"args\":[\"sh\"],\"terminal\":true,\"consoleSize\":";
    assertEquals(
        "consoleSize: needs terminal: true",
        refusal("{\"id\":\"e\",\"args\":[\"sh\"],\"consoleSize\":{\"height\":9,\"width\":9}}"));
    assertEquals("consoleSize: must be an object {height, width}", refusal(tty + "[24,80]}"));
    assertEquals("consoleSize.width: is required", refusal(tty + "{\"height\":24}}"));
    assertEquals(
        "consoleSize.height: must be an integer",
        refusal(tty + "{\"height\":\"x\",\"width\":80}}"));
    assertEquals(
        "consoleSize.width: 0 is not in 1..65535", refusal(tty + "{\"height\":24,\"width\":0}}"));
    assertEquals(
        "consoleSize.height: 65536 is not in 1..65535",
        refusal(tty + "{\"height\":65536,\"width\":80}}"));
    assertEquals(
        "consoleSize.depth: unknown field",
        refusal(tty + "{\"height\":24,\"width\":80,\"depth\":1}}"));
  }
}
