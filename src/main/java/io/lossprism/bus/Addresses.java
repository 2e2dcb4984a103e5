package io.lossprism.bus;

/** Every event-bus address LossPrism uses. */
public final class Addresses {

    /** {@link BatchReport}: published after every training batch (and every validation evaluation). */
    public static final String BATCH_REPORT = "lossprism.batch";
    /** {@link TrainingStatus}: published on every state change and after every batch. */
    public static final String TRAINING_STATUS = "lossprism.status";
    /** {@link AlertEvent}: published on every alert state change. */
    public static final String ALERT_EVENT = "lossprism.alert";
    /** {@link AlertSnapshot}: published whenever the active alerts or the latest transitions change. */
    public static final String ALERTS = "lossprism.alerts";
    /** {@link io.lossprism.probes.ProbeSet}: published every {@code monitor.samplesEveryIterations}. */
    public static final String SAMPLES = "lossprism.samples";

    /** Request/reply to the training verticle: body "pause", "resume" or "stop"; reply: TrainingStatus. */
    public static final String TRAINING_CONTROL = "lossprism.control";
    /** {@link RunEvent}: a run started, resumed or rewound to a checkpoint; history readers reload. */
    public static final String RUN_EVENT = "lossprism.run";

    private Addresses() {}
}
