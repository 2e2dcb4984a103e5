package io.lossprism.config;

import io.lossprism.alert.rules.RuleKind;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every configuration key with its type, default and constraint: the single source of defaults
 * and validation. Keys are dotted paths that mirror the YAML nesting ({@code training.imageSize}
 * is {@code imageSize} inside {@code training}).
 */
final class ConfigSchema {

    static final ConfigKey<String> HTTP_HOST = ConfigKey.host("http.host", "127.0.0.1");
    static final ConfigKey<Integer> HTTP_PORT = ConfigKey.integer("http.port", 8080, 0, 65535);
    static final ConfigKey<String> HTTP_TOKEN = ConfigKey.optionalText("http.token", "");
    static final ConfigKey<Boolean> HTTP_PROTECT_READS = ConfigKey.flag("http.protectReads", false);
    static final ConfigKey<List<String>> HTTP_ALLOWED_ORIGINS = ConfigKey.urls("http.allowedOrigins");
    static final ConfigKey<Integer> HTTP_MAX_REQUEST_BYTES =
            ConfigKey.integer("http.maxRequestBytes", 65_536, 1024, 16 * 1024 * 1024);
    static final ConfigKey<Integer> HTTP_REQUESTS_PER_SECOND =
            ConfigKey.integer("http.requestsPerSecond", 20, 1, 10_000);
    static final ConfigKey<Integer> HTTP_REQUEST_BURST = ConfigKey.integer("http.requestBurst", 400, 1, 100_000);
    static final ConfigKey<List<String>> HTTP_ALLOWED_HOSTS = ConfigKey.hosts("http.allowedHosts");
    static final ConfigKey<Integer> HTTP_FEED_OPENINGS_PER_SECOND =
            ConfigKey.integer("http.feedOpeningsPerSecond", 20, 1, 10_000);
    static final ConfigKey<Integer> HTTP_EVENT_LOOPS = ConfigKey.integer("http.eventLoops", 4, 1, 64);

    static final ConfigKey<String> STORAGE_DIR = ConfigKey.text("storage.dir", "lossprism-data");
    static final ConfigKey<Boolean> STORAGE_RESUME = ConfigKey.flag("storage.resume", true);
    static final ConfigKey<Integer> STORAGE_DETAIL_ITERATIONS =
            ConfigKey.integer("storage.detailIterations", 100_000, 1_000, 1_000_000_000);
    static final ConfigKey<Integer> STORAGE_DOWNSAMPLE_FACTOR =
            ConfigKey.integer("storage.downsampleFactor", 10, 2, 10_000);

    static final ConfigKey<Integer> CHECKPOINT_EVERY_ITERATIONS =
            ConfigKey.integer("checkpoint.everyIterations", 100, 1, 10_000_000);
    static final ConfigKey<Double> CHECKPOINT_EVERY_MINUTES =
            ConfigKey.positiveNumber("checkpoint.everyMinutes", 2, 10_080);
    static final ConfigKey<Integer> CHECKPOINT_KEEP = ConfigKey.integer("checkpoint.keep", 3, 1, 1000);

    static final ConfigKey<Integer> IMAGE_SIZE = ConfigKey.multipleOf("training.imageSize", 64, 16, 16, 1024);
    static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.integer("training.batchSize", 16, 1, 1024);
    static final ConfigKey<List<String>> CLASSES = ConfigKey.names(
            "training.classes", List.of("disc", "bar", "box", "ring", "speck"), 64, "[A-Za-z0-9_-]{1,32}");
    static final ConfigKey<List<Double>> CLASS_WEIGHTS = ConfigKey.positiveNumbers("training.classWeights", List.of());
    static final ConfigKey<Integer> EPOCHS = ConfigKey.integer("training.epochs", 20, 1, 100_000);
    static final ConfigKey<Optimizer> OPTIMIZER = ConfigKey.optimizer("training.optimizer", Optimizer.ADAM);
    static final ConfigKey<Double> LEARNING_RATE = ConfigKey.positiveNumber("training.learningRate", 0.001, 10);
    static final ConfigKey<Long> TRAINING_SEED = ConfigKey.longInteger("training.seed", 42);
    static final ConfigKey<String> LOSS = ConfigKey.oneOf("training.loss", "bce", "bce", "focal", "dice", "bce_dice");
    static final ConfigKey<List<Double>> POS_WEIGHT = ConfigKey.positiveNumbers("training.posWeight", List.of());
    static final ConfigKey<Double> FOCAL_GAMMA = ConfigKey.number("training.focalGamma", 2, 0, 10);
    static final ConfigKey<Double> FOCAL_ALPHA = ConfigKey.fractionOrNone("training.focalAlpha");
    static final ConfigKey<String> DICE = ConfigKey.oneOf("training.dice", "micro", "micro", "macro");
    static final ConfigKey<Double> DICE_SMOOTH = ConfigKey.number("training.diceSmooth", 1, 0, 1_000_000);
    static final ConfigKey<List<Double>> BCE_DICE_WEIGHTS =
            ConfigKey.positiveNumbers("training.bceDiceWeights", List.of());

    static final ConfigKey<String> MODEL_SOURCE =
            ConfigKey.oneOf("model.source", ModelConfig.UNET, ModelConfig.UNET, ModelConfig.DL4J, ModelConfig.KERAS);
    static final ConfigKey<String> MODEL_FILE = ConfigKey.optionalText("model.file", "");
    static final ConfigKey<String> MODEL_SHA256 = ConfigKey.optionalText("model.sha256", "");
    static final ConfigKey<Integer> MODEL_DEPTH = ConfigKey.integer("model.depth", 4, 2, 6);
    static final ConfigKey<Integer> MODEL_BASE_FILTERS = ConfigKey.integer("model.baseFilters", 8, 1, 256);
    static final ConfigKey<Boolean> MODEL_BATCH_NORM = ConfigKey.flag("model.batchNorm", false);
    static final ConfigKey<Double> MODEL_DROPOUT = ConfigKey.number("model.dropout", 0, 0, 0.9);
    static final ConfigKey<String> MODEL_UPSAMPLING =
            ConfigKey.oneOf("model.upsampling", "transposed", "transposed", "bilinear");

    static final ConfigKey<String> DATA_SOURCE = ConfigKey.oneOf("data.source", "synthetic", "synthetic", "folder");
    static final ConfigKey<String> DATA_FOLDER = ConfigKey.optionalText("data.folder", "");
    static final ConfigKey<String> DATA_MASKS = ConfigKey.oneOf("data.masks", "auto", "auto", "binary", "index");
    static final ConfigKey<String> DATA_RESIZE = ConfigKey.oneOf("data.resize", "stretch", "stretch", "crop");
    static final ConfigKey<Double> DATA_VALIDATION_FRACTION = ConfigKey.number("data.validationFraction", 0.1, 0, 0.9);
    static final ConfigKey<String> DATA_ON_BAD_FILE = ConfigKey.oneOf("data.onBadFile", "fail", "fail", "skip");
    static final ConfigKey<Integer> DATA_MAX_IMAGE_PIXELS =
            ConfigKey.integer("data.maxImagePixels", 50_000_000, 256, 1_000_000_000);
    static final ConfigKey<Integer> TRAIN_IMAGES = ConfigKey.integer("data.trainImages", 512, 1, 1_000_000);
    static final ConfigKey<Integer> VALIDATION_IMAGES = ConfigKey.integer("data.validationImages", 64, 0, 1_000_000);
    static final ConfigKey<Long> DATA_SEED = ConfigKey.longInteger("data.seed", 7);
    static final ConfigKey<Boolean> BALANCED = ConfigKey.flag("data.balanced", false);

    static final ConfigKey<Integer> LOG_EVERY_ITERATIONS =
            ConfigKey.integer("monitor.logEveryIterations", 50, 1, 1_000_000);
    static final ConfigKey<Integer> VALIDATION_EVERY_ITERATIONS =
            ConfigKey.integer("monitor.validationEveryIterations", 50, 0, 1_000_000);
    static final ConfigKey<Integer> SAMPLES_EVERY_ITERATIONS =
            ConfigKey.integer("monitor.samplesEveryIterations", 100, 0, 1_000_000);
    static final ConfigKey<Integer> PROBE_IMAGES = ConfigKey.integer("monitor.probeImages", 4, 1, 16);

    static final ConfigKey<Integer> ALERT_WARMUP = ConfigKey.integer("alerts.warmupIterations", 300, 0, 10_000_000);
    static final ConfigKey<String> ALERT_SMOOTHING = ConfigKey.oneOf("alerts.smoothing", "ema", "ema", "window");
    static final ConfigKey<Double> ALERT_EMA_ALPHA = ConfigKey.positiveNumber("alerts.emaAlpha", 0.1, 1);
    static final ConfigKey<Integer> ALERT_WINDOW = ConfigKey.integer("alerts.window", 50, 2, 10_000);
    static final List<RuleKeys> RULES = List.of(
            RuleKeys.of("iouLag", RuleKind.IOU_LAG, 0, 1),
            RuleKeys.of("positiveLoss", RuleKind.POSITIVE_LOSS_RATIO, 0, 1_000_000),
            RuleKeys.of("trend", RuleKind.TREND_DIVERGENCE, 0, 1),
            RuleKeys.of("hidden", RuleKind.HIDDEN_CLASS, 0, 1),
            RuleKeys.of("nonFinite", RuleKind.NON_FINITE_LOSS, 0, 0));
    static final ConfigKey<List<String>> WEBHOOKS = ConfigKey.urls("alerts.webhooks");
    static final ConfigKey<Integer> WEBHOOK_TIMEOUT_MS =
            ConfigKey.integer("alerts.webhookTimeoutMs", 5000, 100, 600_000);
    static final ConfigKey<Integer> WEBHOOK_RETRIES = ConfigKey.integer("alerts.webhookRetries", 3, 0, 20);

    static final ConfigKey<Integer> INGEST_MAX_LIVE_RUNS = ConfigKey.integer("ingest.maxLiveRuns", 8, 1, 64);
    static final ConfigKey<Integer> INGEST_MAX_BODY_BYTES =
            ConfigKey.integer("ingest.maxBodyBytes", 1_048_576, 1024, 64 * 1024 * 1024);
    static final ConfigKey<Integer> INGEST_MAX_DECOMPRESSED_BYTES =
            ConfigKey.integer("ingest.maxDecompressedBytes", 8_388_608, 1024, 256 * 1024 * 1024);
    static final ConfigKey<Integer> INGEST_MAX_RECORDS =
            ConfigKey.integer("ingest.maxRecordsPerRequest", 1000, 1, 100_000);
    static final ConfigKey<Integer> INGEST_MAX_CLASSES = ConfigKey.integer("ingest.maxClasses", 64, 1, 1024);
    static final ConfigKey<Integer> INGEST_REQUESTS_PER_SECOND =
            ConfigKey.integer("ingest.requestsPerSecond", 10, 1, 10_000);
    static final ConfigKey<Integer> FINISHED_RUN_GRACE_SECONDS =
            ConfigKey.integer("metrics.finishedRunGraceSeconds", 300, 0, 86_400);

    /** All keys, in the order default.yaml lists them. */
    static final List<ConfigKey<?>> KEYS = Stream.of(
                    Stream.of(
                            HTTP_HOST,
                            HTTP_PORT,
                            HTTP_TOKEN,
                            HTTP_PROTECT_READS,
                            HTTP_ALLOWED_ORIGINS,
                            HTTP_MAX_REQUEST_BYTES,
                            HTTP_REQUESTS_PER_SECOND,
                            HTTP_REQUEST_BURST,
                            HTTP_ALLOWED_HOSTS,
                            HTTP_FEED_OPENINGS_PER_SECOND,
                            HTTP_EVENT_LOOPS,
                            STORAGE_DIR,
                            STORAGE_RESUME,
                            STORAGE_DETAIL_ITERATIONS,
                            STORAGE_DOWNSAMPLE_FACTOR,
                            CHECKPOINT_EVERY_ITERATIONS,
                            CHECKPOINT_EVERY_MINUTES,
                            CHECKPOINT_KEEP,
                            IMAGE_SIZE,
                            BATCH_SIZE,
                            CLASSES,
                            CLASS_WEIGHTS,
                            EPOCHS,
                            OPTIMIZER,
                            LEARNING_RATE,
                            TRAINING_SEED,
                            LOSS,
                            POS_WEIGHT,
                            FOCAL_GAMMA,
                            FOCAL_ALPHA,
                            DICE,
                            DICE_SMOOTH,
                            BCE_DICE_WEIGHTS,
                            MODEL_SOURCE,
                            MODEL_FILE,
                            MODEL_SHA256,
                            MODEL_DEPTH,
                            MODEL_BASE_FILTERS,
                            MODEL_BATCH_NORM,
                            MODEL_DROPOUT,
                            MODEL_UPSAMPLING,
                            DATA_SOURCE,
                            DATA_FOLDER,
                            DATA_MASKS,
                            DATA_RESIZE,
                            DATA_VALIDATION_FRACTION,
                            DATA_ON_BAD_FILE,
                            DATA_MAX_IMAGE_PIXELS,
                            TRAIN_IMAGES,
                            VALIDATION_IMAGES,
                            DATA_SEED,
                            BALANCED,
                            LOG_EVERY_ITERATIONS,
                            VALIDATION_EVERY_ITERATIONS,
                            SAMPLES_EVERY_ITERATIONS,
                            PROBE_IMAGES,
                            ALERT_WARMUP,
                            ALERT_SMOOTHING,
                            ALERT_EMA_ALPHA,
                            ALERT_WINDOW),
                    RULES.stream().flatMap(r -> r.keys().stream()),
                    Stream.of(WEBHOOKS, WEBHOOK_TIMEOUT_MS, WEBHOOK_RETRIES),
                    Stream.of(
                            INGEST_MAX_LIVE_RUNS,
                            INGEST_MAX_BODY_BYTES,
                            INGEST_MAX_DECOMPRESSED_BYTES,
                            INGEST_MAX_RECORDS,
                            INGEST_MAX_CLASSES,
                            INGEST_REQUESTS_PER_SECOND,
                            FINISHED_RUN_GRACE_SECONDS))
            .<ConfigKey<?>>flatMap(keys -> keys)
            .toList();

    private ConfigSchema() {}

    static List<String> paths() {
        return KEYS.stream().map(ConfigKey::path).toList();
    }

    static Optional<ConfigKey<?>> key(String path) {
        return KEYS.stream().filter(k -> k.path().equals(path)).findFirst();
    }

    /** True for the root ("") and for every prefix that holds keys, such as "training". */
    static boolean isSection(String path) {
        return path.isEmpty() || KEYS.stream().anyMatch(k -> k.path().startsWith(path + "."));
    }

    /** The keys directly or indirectly inside a section, for messages. */
    static List<String> keysIn(String section) {
        return paths().stream()
                .filter(p -> section.isEmpty() || p.startsWith(section + "."))
                .toList();
    }

    /** The top-level sections, such as "training". */
    static List<String> sections() {
        return paths().stream()
                .map(p -> p.substring(0, p.indexOf('.')))
                .distinct()
                .toList();
    }

    /** An error for a key the schema lacks, suggesting the closest known key or section. */
    static ConfigException unknownKey(String path) {
        List<String> candidates =
                Stream.concat(paths().stream(), sections().stream()).toList();
        String hint = Suggestions.closest(path, candidates)
                .map(s -> " (did you mean '" + s + "'?)")
                .orElse("");
        return new ConfigException(
                "unknown configuration key '" + path + "'" + hint + "; known keys: " + String.join(", ", paths()));
    }
}
