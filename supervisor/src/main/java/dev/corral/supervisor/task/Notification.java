package dev.corral.supervisor.task;

/** A fact reported to the loop by the monitor or a worker; nobody waits for it. */
public sealed interface Notification extends Task
    permits ExitTask,
        AnswerTask,
        OOMTask,
        StartResultTask,
        DeleteResultTask,
        UnsubscribeTask,
        UpdateResultTask,
        AddProcessResultTask,
        CheckpointResultTask,
        ShimLostTask,
        RestartTask,
        RestartResultTask,
        StopTimeoutTask,
        PodWaitsExpireTask {}
