"""Keras 3 (TensorFlow backend): a metric that accumulates the per-class sums inside the training step,
and a callback that sends them after each batch.

    run = lossprism.Run(url, token, name="unet", classes=names, convention="keras")
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=[lossprism.keras.Statistics(run)])
    model.fit(x, y, callbacks=[lossprism.keras.Callback(run)])

on_train_batch_end gets no predictions, hence the metric: update_state sees y_true and y_pred in the
graph, adds C numbers per field to its variables, and the callback reads and resets them. The sums
add, so with steps_per_execution > 1 a record covers the steps of one execution exactly.
"""

import keras
import numpy as np
import tensorflow as tf

from . import stats, tf_stats


class Statistics(keras.metrics.Metric):
    """Per-class loss sums and confusion counts of the batches since the last reset.

    Its result is the mean element BCE those sums give (for Dice, 1 - pooled Dice).
    """

    def __init__(self, run, from_logits=False, name="lossprism", **kwargs):
        super().__init__(name=name, **kwargs)
        self.run = run
        self.from_logits = from_logits
        self.fields = stats.FIELDS[run.loss]
        classes = len(run.classes)
        self.sums = {
            f: self.add_variable(shape=(classes,), initializer="zeros", dtype="float64", name=f)
            for f in self.fields
        }
        self.images = self.add_variable(shape=(), initializer="zeros", dtype="float64", name="images")
        run._keras_statistics = self

    def update_state(self, y_true, y_pred, sample_weight=None):
        sums = tf_stats.batch_sums(
            y_true,
            y_pred,
            loss=self.run.loss,
            convention=self.run.convention,
            from_logits=self.from_logits,
            class_axis=self.run.class_axis,
            pos_weight=self.run.pos_weight,
            class_weights=self.run.class_weights,
            sample_weight=sample_weight,
        )
        for field, variable in self.sums.items():
            variable.assign_add(sums[field])
        self.images.assign_add(tf.cast(tf.shape(y_pred)[0], tf.float64))

    def result(self):
        if self.run.loss == "dice":
            inter, total = self.sums["intersection"], self.sums["predictionSum"] + self.sums["truthSum"]
            return tf.cast(1 - 2 * tf.reduce_sum(inter) / tf.maximum(tf.reduce_sum(total), 1e-7), "float32")
        elements = tf.maximum(tf.reduce_sum(self.sums["elements"]), 1.0)
        return tf.cast(tf.reduce_sum(self.sums["positiveLoss"] + self.sums["negativeLoss"]) / elements, "float32")

    def reset_state(self):
        for variable in list(self.sums.values()) + [self.images]:
            variable.assign(tf.zeros_like(variable))

    def take(self):
        """The sums and image count accumulated so far (C numbers per field), then resets."""
        sums = {f: np.asarray(v.numpy(), dtype=np.float64) for f, v in self.sums.items()}
        images = int(self.images.numpy())
        self.reset_state()
        return sums, images


class Callback(keras.callbacks.Callback):
    """Sends the Statistics metric's sums after every training batch (one record per step, or per
    execution with steps_per_execution > 1) and one validation record per evaluation pass.

    The loss Keras passes in logs is the epoch's running mean, weighted by batch size; the batch's own
    loss is recovered from its change. finish=True ends the run when fit ends; pass finish=False to
    continue the same run in a later fit (and call run.finish() at the end).
    """

    def __init__(self, run, finish=True):
        super().__init__()
        self.run = run
        self.finish = finish
        self._epoch = 0
        self._seen = 0
        self._total = 0.0
        self._step = 0

    def _statistics(self):
        statistics = getattr(self.run, "_keras_statistics", None)
        if statistics is None:
            raise ValueError(
                "lossprism.keras.Callback: add lossprism.keras.Statistics(run) to model.compile(metrics=...)"
            )
        return statistics

    def on_train_begin(self, logs=None):
        self._statistics()

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._seen = 0
        self._total = 0.0

    def on_train_batch_end(self, batch, logs=None):
        sums, images = self._statistics().take()
        if images == 0:
            return
        loss = None
        mean = (logs or {}).get("loss")
        if mean is not None:
            self._seen += images
            total = float(mean) * self._seen
            loss = (total - self._total) / images
            self._total = total
        self.run.log_sums(self._global_step(), sums, images, loss=loss, split="train", epoch=self._epoch)

    def on_test_begin(self, logs=None):
        self._statistics().take()

    def on_test_end(self, logs=None):
        sums, images = self._statistics().take()
        if images:
            loss = (logs or {}).get("loss")
            self.run.log_sums(self._global_step(), sums, images, loss=loss, split="validation", epoch=self._epoch)

    def on_train_end(self, logs=None):
        if self.finish:
            self.run.finish()

    def _global_step(self):
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        if iterations is not None:
            return int(np.asarray(iterations.numpy() if hasattr(iterations, "numpy") else iterations))
        self._step += 1
        return self._step
