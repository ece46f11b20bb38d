package dev.corral.supervisor.pod;

/**
 * The answer to one {@link PodStatusCache#await}: how it ended, the pod's status then, and the time
 * that status is known good as of (unix nanoseconds). Immutable.
 *
 * @param status the current status for {@code NEWER} and {@code NOT_MODIFIED}; the last one for a
 *     pod removed while waiting; null for a pod the cache never had
 * @param timestamp for a status, as {@link StampedStatus#timestamp}; for {@code GONE}, the cache's
 *     clock then
 */
public record StatusAnswer<S>(Outcome outcome, S status, long timestamp) {
  /** How a wait ended; the API turns them into 200, 304 and 404. */
  public enum Outcome {
    /** The status is newer than the time asked for: changed since, or the global time passed. */
    NEWER,
    /** The deadline came first; the status is the one the client already has. */
    NOT_MODIFIED,
    /** No such pod: unknown when asked, or removed while waiting. */
    GONE
  }
}
