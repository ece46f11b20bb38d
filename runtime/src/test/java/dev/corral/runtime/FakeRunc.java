package dev.corral.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * A shell script standing in for runc (go-runc's way of testing): it records its argv, one argument
 * a line, appends the given lines to the file named by {@code --log}, prints the given stdout and
 * exits with the given code.
 */
final class FakeRunc {
  final Path binary;
  final Path argvFile;

  private FakeRunc(Path binary, Path argvFile) {
    this.binary = binary;
    this.argvFile = argvFile;
  }

  static FakeRunc write(Path dir, String logLines, String stdout, int exitCode) throws IOException {
    return write(dir, logLines, stdout, "", exitCode);
  }

  static FakeRunc write(Path dir, String logLines, String stdout, String extra, int exitCode)
      throws IOException {
    Path argv = dir.resolve("argv");
    String script =
        "#!/bin/sh\n"
            + "printf '%s\\n' \"$@\" > '"
            + argv
            + "'\n"
            + "log=; prev=\n"
            + "for a in \"$@\"; do [ \"$prev\" = --log ] && log=$a; prev=$a; done\n"
            + "[ -n \"$log\" ] && cat >> \"$log\" <<'LOG'\n"
            + logLines
            + "\nLOG\n"
            + "cat <<'OUT'\n"
            + stdout
            + "\nOUT\n"
            + extra
            + "\n"
            + "exit "
            + exitCode
            + "\n";
    Path bin = dir.resolve("runc");
    Files.writeString(bin, script);
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    return new FakeRunc(bin, argv);
  }

  List<String> argv() throws IOException {
    return Files.readAllLines(argvFile);
  }
}
