package dev.corral.state;

/**
 * A container's restart policy and where its restarts stand ({@code restart.json}), written
 * atomically whenever one of them changes. Absent means the policy {@code no} and no restarts.
 * Immutable.
 *
 * @param policy {@code no}, {@code always}, {@code on-failure} or {@code unless-stopped}
 * @param maximumRetryCount for {@code on-failure}: at most this many restarts (0: no limit)
 * @param restartCount restarts since the container was created or last started by a user
 * @param userStopped a user stopped it (stop, or a signal through the API): no restart until the
 *     next start
 * @param consecutive restarts in a row without a run of 10 s: the backoff's exponent
 */
public record RestartRecord(
    String policy, int maximumRetryCount, int restartCount, boolean userStopped, int consecutive) {
  public RestartRecord {
    if (policy == null || maximumRetryCount < 0 || restartCount < 0 || consecutive < 0) {
      throw new IllegalArgumentException(
          "restart record: policy "
              + policy
              + ", counts "
              + maximumRetryCount
              + "/"
              + restartCount);
    }
  }
}
