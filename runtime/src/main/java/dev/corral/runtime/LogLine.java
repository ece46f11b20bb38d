package dev.corral.runtime;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * One line of conmon's k8s-file log: {@code <RFC3339Nano with offset> stdout|stderr F|P <text>}.
 * {@code F} marks the end of a line of output, {@code P} a partial chunk that the next entry
 * continues (conmon splits long lines and writes output that has no newline yet).
 *
 * <p>Immutable.
 *
 * @param stream {@code stdout} or {@code stderr}
 * @param partial true for a {@code P} chunk
 * @param text the output without the newline conmon added
 */
public record LogLine(Instant timestamp, String stream, boolean partial, String text) {
  /** The output as the container wrote it: a full line gets its newline back. */
  public String output() {
    return partial ? text : text + "\n";
  }

  /** Parses one log line (without its newline); empty when it is not in the k8s-file format. */
  public static Optional<LogLine> parse(String line) {
    int s1 = line.indexOf(' ');
    int s2 = s1 < 0 ? -1 : line.indexOf(' ', s1 + 1);
    if (s2 < 0 || s2 + 2 > line.length()) {
      return Optional.empty();
    }
    String stream = line.substring(s1 + 1, s2);
    char tag = line.charAt(s2 + 1);
    boolean tagEnds = s2 + 2 == line.length() || line.charAt(s2 + 2) == ' ';
    if (!(stream.equals("stdout") || stream.equals("stderr")) || !(tag == 'F' || tag == 'P')) {
      return Optional.empty();
    }
    if (!tagEnds) {
      return Optional.empty();
    }
    String text = s2 + 3 <= line.length() ? line.substring(s2 + 3) : "";
    try {
      Instant at = OffsetDateTime.parse(line.substring(0, s1)).toInstant();
      return Optional.of(new LogLine(at, stream, tag == 'P', text));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
