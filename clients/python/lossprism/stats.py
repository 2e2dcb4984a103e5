"""Per-class loss sums and confusion counts of one batch, in NumPy.

The loss of every element is computed the way the framework computes it (dtype, clipping, the
logits formula), then summed per class over its positive and its negative elements. The server
turns these sums into class terms with the convention's divisor; they add up to the framework's
loss because they are the same numbers, only grouped by class.
"""

import numpy as np

#: Keras 3 clips probabilities to [eps, 1 - eps] in the input's dtype (keras.config.epsilon()).
KERAS_EPSILON = 1e-7
#: PyTorch's BCELoss clamps each log at -100.
TORCH_LOG_MIN = -100.0
#: A prediction above this probability (logit above 0) counts as positive for tp/fp/fn/tn.
THRESHOLD = 0.5

CONVENTIONS = ("keras", "torch")
LOSSES = ("bce", "dice", "bce_dice")
#: The per-class fields a record carries for each loss family, in order.
FIELDS = {
    "bce": ("positiveLoss", "negativeLoss", "positives", "elements", "tp", "fp", "fn", "tn"),
    "dice": ("intersection", "predictionSum", "truthSum", "positives", "elements", "tp", "fp", "fn", "tn"),
    "bce_dice": (
        "positiveLoss", "negativeLoss", "intersection", "predictionSum", "truthSum",
        "positives", "elements", "tp", "fp", "fn", "tn",
    ),
}
COUNTS = ("positives", "elements", "tp", "fp", "fn", "tn")


def default_class_axis(convention):
    """Keras is channels-last (NHWC), PyTorch channels-first (NCHW)."""
    return -1 if convention == "keras" else 1


def check_options(loss, convention):
    if loss not in LOSSES:
        raise ValueError(f"loss: must be one of {', '.join(LOSSES)}, got {loss!r}")
    if convention not in CONVENTIONS:
        raise ValueError(f"convention: must be one of {', '.join(CONVENTIONS)}, got {convention!r}")


def bce_elements(y, p, convention, from_logits, pos_weight=None):
    """Per-element binary cross-entropy in the framework's arithmetic (p's dtype, float32 usually).

    pos_weight (PyTorch's BCEWithLogitsLoss) must already be broadcastable against y.
    """
    dtype = p.dtype
    one = dtype.type(1)
    if from_logits:
        # log(1 + exp(-|z|)) + max(-z, 0) is -log(sigmoid(z)), stable for any z: the formula of both
        # tf.nn.sigmoid_cross_entropy_with_logits and torch's binary_cross_entropy_with_logits.
        softplus_neg = np.log1p(np.exp(-np.abs(p))) + np.maximum(-p, dtype.type(0))
        if pos_weight is None:
            return (one - y) * p + softplus_neg
        return (one - y) * p + (one + (pos_weight - one) * y) * softplus_neg
    if pos_weight is not None:
        raise ValueError("pos_weight: only with from_logits=True (PyTorch's BCEWithLogitsLoss)")
    if convention == "keras":
        eps = dtype.type(KERAS_EPSILON)
        q = np.clip(p, eps, one - eps)
        return -(y * np.log(q) + (one - y) * np.log(one - q))
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), dtype.type(TORCH_LOG_MIN))
        log_q = np.maximum(np.log(one - p), dtype.type(TORCH_LOG_MIN))
    return -(y * log_p + (one - y) * log_q)


def batch_sums(
    y_true,
    y_pred,
    *,
    loss="bce",
    convention="keras",
    from_logits=False,
    class_axis=None,
    pos_weight=None,
    class_weights=None,
    dtype=np.float32,
):
    """The per-class sums of one batch as a dict of field -> float64 array of length C.

    y_true and y_pred have the same shape with the classes on class_axis (default: last for Keras,
    1 for PyTorch). Sums are accumulated in float64 over float32 element losses.
    """
    check_options(loss, convention)
    y = np.asarray(y_true)
    p = np.asarray(y_pred)
    if y.shape != p.shape:
        raise ValueError(f"y_true and y_pred: shapes differ, {y.shape} vs {p.shape}")
    if y.ndim < 2:
        raise ValueError(f"y_pred: needs a batch axis and a class axis, got shape {p.shape}")
    axis = (default_class_axis(convention) if class_axis is None else class_axis) % y.ndim
    # reduce over every axis but the classes', in place: no transposed copy of the batch
    dims = tuple(d for d in range(y.ndim) if d != axis)
    classes = p.shape[axis]
    per_class = [1] * y.ndim
    per_class[axis] = classes
    y = y.astype(dtype, copy=False)
    p = p.astype(dtype, copy=False)
    positive = y > 0.5
    predicted = p > 0 if from_logits else p > THRESHOLD

    def count(mask):
        return mask.sum(axis=dims).astype(np.float64)

    def total(values):
        return np.sum(values, axis=dims, dtype=np.float64)

    out = confusion(count(positive), count(predicted), count(positive & predicted), float(y.size // classes))
    if loss != "dice":
        pw = None if pos_weight is None else np.asarray(pos_weight, dtype=dtype).reshape(per_class)
        per = bce_elements(y, p, convention, from_logits, pw)
        if class_weights is not None:
            per = per * np.asarray(class_weights, dtype=dtype).reshape(per_class)
        out["positiveLoss"] = total(np.where(positive, per, 0))
        out["negativeLoss"] = total(np.where(positive, 0, per))
    if loss != "bce":
        prob = 1 / (1 + np.exp(-p)) if from_logits else p
        out["intersection"] = total(y * prob)
        out["predictionSum"] = total(prob)
        out["truthSum"] = total(y)
    return out


def confusion(positives, predicted, tp, elements):
    """Counts from three reductions instead of five: the rest follow exactly."""
    fp = predicted - tp
    fn = positives - tp
    return {
        "positives": positives,
        "elements": positives * 0 + elements,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": elements - tp - fp - fn,
    }


def class_records(sums, loss):
    """The record's "classes" list: one dict per class with the loss family's fields."""
    classes = len(sums["elements"])
    rows = []
    for c in range(classes):
        row = {}
        for field in FIELDS[loss]:
            value = float(sums[field][c])
            row[field] = int(value) if field in COUNTS else value
        rows.append(row)
    return rows


def add_sums(a, b):
    """Statistics add: the sums of two batches are the sums of their union."""
    return {k: a[k] + b[k] for k in a}
