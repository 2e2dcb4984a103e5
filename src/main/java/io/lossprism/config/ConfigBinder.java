package io.lossprism.config;

import static io.lossprism.config.ConfigSchema.*;

import io.lossprism.alert.rules.RuleSettings;
import io.lossprism.alert.rules.Smoothing;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Turns merged settings into the typed records, checking the rules that span two keys. */
final class ConfigBinder {

    /** Kinds of shapes the synthetic data can draw (data.SyntheticShapes.MAX_CLASSES). */
    private static final int SYNTHETIC_CLASSES = 5;

    private ConfigBinder() {}

    static AppConfig bind(Settings settings) {
        HttpConfig http = new HttpConfig(
                settings.get(HTTP_HOST),
                settings.get(HTTP_PORT),
                settings.get(HTTP_TOKEN),
                settings.get(HTTP_PROTECT_READS),
                settings.get(HTTP_ALLOWED_ORIGINS),
                settings.get(HTTP_MAX_REQUEST_BYTES),
                settings.get(HTTP_REQUESTS_PER_SECOND),
                settings.get(HTTP_REQUEST_BURST),
                settings.get(HTTP_ALLOWED_HOSTS),
                settings.get(HTTP_FEED_OPENINGS_PER_SECOND),
                settings.get(HTTP_EVENT_LOOPS));
        String token = http.token();
        if (!token.isEmpty() && !token.matches("[A-Za-z0-9._~+/=-]{16,256}")) {
            throw new ConfigException(HTTP_TOKEN.path() + ": must be empty (generate one) or 16 to 256 characters of"
                    + " letters, digits and ._~+/=-, got " + token.length() + " characters");
        }
        StorageConfig storage = new StorageConfig(
                Path.of(settings.get(STORAGE_DIR)),
                settings.get(STORAGE_RESUME),
                settings.get(STORAGE_DETAIL_ITERATIONS),
                settings.get(STORAGE_DOWNSAMPLE_FACTOR));
        CheckpointConfig checkpoint = new CheckpointConfig(
                settings.get(CHECKPOINT_EVERY_ITERATIONS),
                settings.get(CHECKPOINT_EVERY_MINUTES),
                settings.get(CHECKPOINT_KEEP));

        List<String> classes = settings.get(CLASSES);
        List<Double> weights = settings.get(CLASS_WEIGHTS);
        if (!weights.isEmpty() && weights.size() != classes.size()) {
            throw new ConfigException(
                    CLASS_WEIGHTS.path() + ": must be empty (all 1.0) or have one weight per class in " + CLASSES.path()
                            + " (" + classes.size() + "), got " + weights.size());
        }
        TrainingConfig training = new TrainingConfig(
                settings.get(IMAGE_SIZE),
                settings.get(BATCH_SIZE),
                classes,
                weights,
                settings.get(EPOCHS),
                settings.get(OPTIMIZER),
                settings.get(LEARNING_RATE),
                settings.get(TRAINING_SEED),
                loss(settings, classes.size()));

        ModelConfig model = model(settings, training);

        int trainImages = settings.get(TRAIN_IMAGES);
        if (settings.get(DATA_SOURCE).equals("synthetic") && trainImages < training.batchSize()) {
            throw new ConfigException(TRAIN_IMAGES.path() + ": must be at least " + BATCH_SIZE.path() + " ("
                    + training.batchSize() + "), got " + trainImages);
        }
        DataConfig data = new DataConfig(
                settings.get(DATA_SOURCE),
                settings.get(DATA_FOLDER),
                settings.get(DATA_MASKS),
                settings.get(DATA_RESIZE),
                settings.get(DATA_VALIDATION_FRACTION),
                settings.get(DATA_ON_BAD_FILE),
                settings.get(DATA_MAX_IMAGE_PIXELS),
                trainImages,
                settings.get(VALIDATION_IMAGES),
                settings.get(DATA_SEED),
                settings.get(BALANCED));
        if (data.synthetic() && classes.size() > SYNTHETIC_CLASSES) {
            throw new ConfigException(CLASSES.path() + ": synthetic data (" + DATA_SOURCE.path() + ") draws at most "
                    + SYNTHETIC_CLASSES + " classes, got " + classes.size());
        }
        if (!data.synthetic() && data.folder().isEmpty()) {
            throw new ConfigException(
                    DATA_FOLDER.path() + ": must name the dataset folder when " + DATA_SOURCE.path() + " is folder");
        }

        MonitorConfig monitor = new MonitorConfig(
                settings.get(LOG_EVERY_ITERATIONS),
                settings.get(VALIDATION_EVERY_ITERATIONS),
                settings.get(SAMPLES_EVERY_ITERATIONS),
                settings.get(PROBE_IMAGES));
        LiveRunsConfig liveRuns =
                new LiveRunsConfig(settings.get(INGEST_MAX_LIVE_RUNS), settings.get(FINISHED_RUN_GRACE_SECONDS));
        IngestConfig ingest = new IngestConfig(
                settings.get(INGEST_MAX_LIVE_RUNS),
                settings.get(INGEST_MAX_BODY_BYTES),
                settings.get(INGEST_MAX_DECOMPRESSED_BYTES),
                settings.get(INGEST_MAX_RECORDS),
                settings.get(INGEST_MAX_CLASSES),
                settings.get(INGEST_REQUESTS_PER_SECOND));
        return new AppConfig(
                http, storage, checkpoint, training, model, data, monitor, alerts(settings), liveRuns, ingest);
    }

    private static ModelConfig model(Settings settings, TrainingConfig training) {
        ModelConfig model = new ModelConfig(
                settings.get(MODEL_SOURCE),
                settings.get(MODEL_FILE),
                settings.get(MODEL_SHA256),
                settings.get(MODEL_DEPTH),
                settings.get(MODEL_BASE_FILTERS),
                settings.get(MODEL_BATCH_NORM),
                settings.get(MODEL_DROPOUT),
                settings.get(MODEL_UPSAMPLING));
        if (model.fromFile() && model.file().isEmpty()) {
            throw new ConfigException(MODEL_FILE.path() + ": must name the network file when " + MODEL_SOURCE.path()
                    + " is " + model.source());
        }
        if (!model.fromFile() && !model.file().isEmpty()) {
            throw new ConfigException(MODEL_FILE.path() + ": only read when " + MODEL_SOURCE.path()
                    + " is dl4j or keras; " + MODEL_SOURCE.path() + " is unet");
        }
        if (!model.sha256().isEmpty() && !model.sha256().matches("[0-9a-f]{64}")) {
            throw new ConfigException(
                    MODEL_SHA256.path() + ": must be empty or 64 lower-case hex digits, got '" + model.sha256() + "'");
        }
        int step = 1 << model.depth();
        if (!model.fromFile() && training.imageSize() % step != 0) {
            throw new ConfigException(IMAGE_SIZE.path() + ": must be a multiple of " + step + " (2^"
                    + MODEL_DEPTH.path() + ") so that every pooling halves it evenly, got " + training.imageSize());
        }
        return model;
    }

    private static LossConfig loss(Settings settings, int classes) {
        List<Double> posWeight = settings.get(POS_WEIGHT);
        if (!posWeight.isEmpty() && posWeight.size() != classes) {
            throw new ConfigException(POS_WEIGHT.path() + ": must be empty (all 1.0) or have one weight per class in "
                    + CLASSES.path() + " (" + classes + "), got " + posWeight.size());
        }
        List<Double> bceDice = settings.get(BCE_DICE_WEIGHTS);
        if (!bceDice.isEmpty() && bceDice.size() != 2) {
            throw new ConfigException(BCE_DICE_WEIGHTS.path() + ": must be empty ([1/(C*H*W), 1]) or two weights"
                    + " [cross-entropy, Dice], got " + bceDice.size());
        }
        return new LossConfig(
                settings.get(LOSS),
                posWeight.isEmpty() ? Collections.nCopies(classes, 1.0) : posWeight,
                settings.get(FOCAL_GAMMA),
                settings.get(FOCAL_ALPHA),
                settings.get(DICE),
                settings.get(DICE_SMOOTH),
                bceDice);
    }

    private static AlertsConfig alerts(Settings settings) {
        Smoothing smoothing = new Smoothing(
                Smoothing.Method.valueOf(
                        settings.get(ConfigSchema.ALERT_SMOOTHING).toUpperCase(Locale.ROOT)),
                settings.get(ConfigSchema.ALERT_EMA_ALPHA),
                settings.get(ConfigSchema.ALERT_WINDOW));
        List<RuleSettings> rules = new ArrayList<>();
        for (RuleKeys keys : ConfigSchema.RULES) {
            RuleSettings rule = RuleSettings.defaults(keys.kind())
                    .withEnabled(settings.get(keys.enabled()))
                    .withSplit(settings.get(keys.split()))
                    .withForEvaluations(settings.get(keys.forEvaluations()));
            if (keys.threshold() != null) {
                rule = rule.withThreshold(settings.get(keys.threshold()))
                        .withHysteresis(settings.get(keys.hysteresis()));
            }
            rules.add(rule);
        }
        return new AlertsConfig(
                settings.get(ConfigSchema.ALERT_WARMUP),
                smoothing,
                rules,
                settings.get(ConfigSchema.WEBHOOKS),
                settings.get(ConfigSchema.WEBHOOK_TIMEOUT_MS),
                settings.get(ConfigSchema.WEBHOOK_RETRIES));
    }
}
