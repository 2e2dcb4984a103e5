"""The per-class sums with TensorFlow's own operations (inside a Keras metric they run in the training
graph, on the device); the results are C numbers per field."""

import tensorflow as tf

from . import stats


def batch_sums(
    y_true,
    y_pred,
    *,
    loss="bce",
    convention="keras",
    from_logits=False,
    class_axis=-1,
    pos_weight=None,
    class_weights=None,
    sample_weight=None,
):
    """Dict of field -> float64 tensor [C].

    A y_pred that came out of a Keras sigmoid carries its logits (`_keras_logits`); Keras' TensorFlow
    backend then computes the loss from the logits, unclipped, and so does this.
    """
    stats.check_options(loss, convention)
    if not from_logits:
        y_pred, from_logits = _keras_logits(y_pred)
    p = tf.convert_to_tensor(y_pred)
    y = tf.cast(tf.convert_to_tensor(y_true), p.dtype)
    rank = p.shape.rank
    axis = class_axis % rank
    # reduce over every axis but the classes', in place: no transposed copy of the batch
    dims = [d for d in range(rank) if d != axis]
    classes = p.shape[axis]
    per_class = [1] * rank
    per_class[axis] = classes
    positive = y > 0.5
    predicted = p > 0 if from_logits else p > stats.THRESHOLD
    f64 = tf.float64

    def total(values):
        return tf.reduce_sum(tf.cast(values, f64), axis=dims)

    out = stats.confusion(
        total(positive), total(predicted), total(positive & predicted), tf.cast(tf.size(p) // classes, f64)
    )
    if loss != "dice":
        per = _bce(y, p, convention, from_logits, None if pos_weight is None else tf.reshape(
            tf.constant(pos_weight, p.dtype), per_class))
        if class_weights is not None:
            per = per * tf.reshape(tf.constant(class_weights, dtype=p.dtype), per_class)
        if sample_weight is not None:
            # Keras weights each pixel's class-mean; the divisor stays the element count
            sw = tf.cast(tf.convert_to_tensor(sample_weight), p.dtype)
            while sw.shape.rank < rank:
                sw = tf.expand_dims(sw, -1 if axis == rank - 1 else axis)
            per = per * sw
        zero = tf.zeros_like(per)
        out["positiveLoss"] = total(tf.where(positive, per, zero))
        out["negativeLoss"] = total(tf.where(positive, zero, per))
    if loss != "bce":
        prob = tf.sigmoid(p) if from_logits else p
        out["intersection"] = total(y * prob)
        out["predictionSum"] = total(prob)
        out["truthSum"] = total(y)
    return out


def _keras_logits(output):
    """The logits behind a sigmoid output, as Keras' TensorFlow backend finds them for its loss
    (keras/src/backend/tensorflow/nn.py, _get_logits): the `_keras_logits` a Keras sigmoid leaves,
    or in a graph the input of a Sigmoid op."""
    logits = getattr(output, "_keras_logits", None)
    if logits is not None:
        return logits, True
    op = getattr(output, "op", None)
    if op is not None and not isinstance(output, (tf.__internal__.EagerTensor, tf.Variable)) and op.type == "Sigmoid":
        return op.inputs[0], True
    return output, False


def _bce(y, p, convention, from_logits, pos_weight):
    if from_logits:
        if pos_weight is None:
            return tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=p)
        return tf.nn.weighted_cross_entropy_with_logits(labels=y, logits=p, pos_weight=pos_weight)
    if pos_weight is not None:
        raise ValueError("pos_weight: only with from_logits=True (PyTorch's BCEWithLogitsLoss)")
    if convention == "keras":
        eps = tf.constant(stats.KERAS_EPSILON, p.dtype)
        q = tf.clip_by_value(p, eps, 1 - eps)
        return -(y * tf.math.log(q) + (1 - y) * tf.math.log(1 - q))
    log_min = tf.constant(stats.TORCH_LOG_MIN, p.dtype)
    return -(y * tf.maximum(tf.math.log(p), log_min) + (1 - y) * tf.maximum(tf.math.log(1 - p), log_min))
