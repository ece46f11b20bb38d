package dev.corral.supervisor.task;

import dev.corral.supervisor.thread.Reply;

/**
 * A task a client waits for. Its handler, or a worker it hands off to, completes the reply exactly
 * once; a handler that throws has its reply failed by the loop.
 */
public sealed interface Command extends Task
    permits StartTask,
        SignalTask,
        DeleteTask,
        GetContainersTask,
        WaitTask,
        SubscribeTask,
        RecoverTask,
        UpdateTask,
        AddProcessTask,
        WaitProcessTask,
        ListProcessesTask,
        StatsTask,
        UpdateProcessTask,
        CreateCheckpointTask,
        DeleteCheckpointTask,
        ListCheckpointsTask,
        AttachTask,
        LogsTask,
        StopTask,
        StartExistingTask,
        UpdateRestartPolicyTask,
        ListNamespacesTask,
        DeleteNamespaceTask,
        CreatePodTask,
        ListPodsTask,
        PodStatusTask,
        DeletePodTask {
  Reply<?> reply();
}
