package dev.corral.state;

import java.nio.file.Path;

/** One journal segment file and the seq of its first record. Immutable. */
record JournalSegment(long firstSeq, Path file) {}
