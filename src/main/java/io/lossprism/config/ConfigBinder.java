package io.lossprism.config;

import static io.lossprism.config.ConfigSchema.BALANCED;
import static io.lossprism.config.ConfigSchema.BATCH_SIZE;
import static io.lossprism.config.ConfigSchema.CLASSES;
import static io.lossprism.config.ConfigSchema.CLASS_WEIGHTS;
import static io.lossprism.config.ConfigSchema.DATA_SEED;
import static io.lossprism.config.ConfigSchema.DATA_SOURCE;
import static io.lossprism.config.ConfigSchema.EPOCHS;
import static io.lossprism.config.ConfigSchema.HTTP_HOST;
import static io.lossprism.config.ConfigSchema.HTTP_PORT;
import static io.lossprism.config.ConfigSchema.IMAGE_SIZE;
import static io.lossprism.config.ConfigSchema.LEARNING_RATE;
import static io.lossprism.config.ConfigSchema.LOG_EVERY_ITERATIONS;
import static io.lossprism.config.ConfigSchema.OPTIMIZER;
import static io.lossprism.config.ConfigSchema.TRAINING_SEED;
import static io.lossprism.config.ConfigSchema.TRAIN_IMAGES;
import static io.lossprism.config.ConfigSchema.VALIDATION_EVERY_ITERATIONS;
import static io.lossprism.config.ConfigSchema.VALIDATION_IMAGES;

import io.lossprism.alert.RuleSettings;
import io.lossprism.alert.Smoothing;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns merged settings into the typed records, checking the rules that span two keys. */
final class ConfigBinder {

  private ConfigBinder() {}

  static AppConfig bind(Settings settings) {
    HttpConfig http = new HttpConfig(settings.get(HTTP_HOST), settings.get(HTTP_PORT));

    List<String> classes = settings.get(CLASSES);
    List<Double> weights = settings.get(CLASS_WEIGHTS);
    if (!weights.isEmpty() && weights.size() != classes.size()) {
      throw new ConfigException(CLASS_WEIGHTS.path() + ": must be empty (all 1.0) or have one weight per class in "
          + CLASSES.path() + " (" + classes.size() + "), got " + weights.size());
    }
    TrainingConfig training = new TrainingConfig(settings.get(IMAGE_SIZE), settings.get(BATCH_SIZE), classes, weights,
        settings.get(EPOCHS), settings.get(OPTIMIZER), settings.get(LEARNING_RATE), settings.get(TRAINING_SEED));

    int trainImages = settings.get(TRAIN_IMAGES);
    if (trainImages < training.batchSize()) {
      throw new ConfigException(TRAIN_IMAGES.path() + ": must be at least " + BATCH_SIZE.path() + " ("
          + training.batchSize() + "), got " + trainImages);
    }
    DataConfig data = new DataConfig(settings.get(DATA_SOURCE), trainImages, settings.get(VALIDATION_IMAGES),
        settings.get(DATA_SEED), settings.get(BALANCED));

    return new AppConfig(http, training, data,
        new MonitorConfig(settings.get(LOG_EVERY_ITERATIONS), settings.get(VALIDATION_EVERY_ITERATIONS)),
        alerts(settings));
  }

  private static AlertsConfig alerts(Settings settings) {
    Smoothing smoothing = Smoothing.valueOf(settings.get(ConfigSchema.ALERT_SMOOTHING).toUpperCase(Locale.ROOT));
    List<RuleSettings> rules = new ArrayList<>();
    for (RuleKeys keys : ConfigSchema.RULES) {
      RuleSettings rule = RuleSettings.defaults(keys.kind())
          .withEnabled(settings.get(keys.enabled()))
          .withSplit(settings.get(keys.split()))
          .withForEvaluations(settings.get(keys.forEvaluations()))
          .withSmoothing(smoothing)
          .withEmaAlpha(settings.get(ConfigSchema.ALERT_EMA_ALPHA))
          .withWindow(settings.get(ConfigSchema.ALERT_WINDOW));
      if (keys.threshold() != null) {
        rule = rule.withThreshold(settings.get(keys.threshold())).withHysteresis(settings.get(keys.hysteresis()));
      }
      rules.add(rule);
    }
    return new AlertsConfig(settings.get(ConfigSchema.ALERT_WARMUP), rules, settings.get(ConfigSchema.WEBHOOKS),
        settings.get(ConfigSchema.WEBHOOK_TIMEOUT_MS), settings.get(ConfigSchema.WEBHOOK_RETRIES));
  }
}
