"""One external training run streamed to a LossPrism server."""

import math
import sys
import time
import weakref

import numpy as np

from . import stats
from .http import Api
from .sender import Sender
from .spool import Spool


class Run:
    """A run on the server: log each batch's statistics, then finish.

    run = lossprism.Run("http://127.0.0.1:8080", token, name="unet", classes=["road", "car"],
                        loss="bce", convention="keras")
    run.log(step, y_true, y_pred, loss=loss_value)   # NumPy arrays, torch or TensorFlow tensors
    run.finish()

    class_axis: where the classes are (default -1 for Keras' NHWC, 1 for PyTorch's NCHW).
    loss: "bce", "dice" or "bce_dice" (the sums each needs are sent; Dice's are intersection, prediction
    and truth sums, with sigmoid applied to logits).
    pos_weight / class_weights: the per-class weights the loss applies (PyTorch pos_weight, weight).
    parameters: other loss parameters for the server, by its names (e.g. {"dice": "macro", "smooth": 1}).
    spool: the file for records the server does not take (default lossprism-spool/<name>-<time>.ndjson).
    Nothing here waits for the server: records are sent from a background thread.
    """

    def __init__(
        self,
        url,
        token,
        *,
        name,
        classes,
        loss="bce",
        convention="keras",
        framework=None,
        class_axis=None,
        pos_weight=None,
        class_weights=None,
        parameters=None,
        spool=None,
        max_queue=10_000,
        batch_size=200,
        timeout=10.0,
        retries=4,
        backoff=0.5,
        max_backoff=30.0,
    ):
        stats.check_options(loss, convention)
        classes = [str(c) for c in classes]
        if not classes:
            raise ValueError("classes: at least one class name")
        for key, weights in (("pos_weight", pos_weight), ("class_weights", class_weights)):
            if weights is not None and len(weights) != len(classes):
                raise ValueError(f"{key}: {len(weights)} values for {len(classes)} classes")
        self.classes = classes
        self.loss = loss
        self.convention = convention
        self.class_axis = stats.default_class_axis(convention) if class_axis is None else class_axis
        self.pos_weight = None if pos_weight is None else [float(w) for w in pos_weight]
        self.class_weights = None if class_weights is None else [float(w) for w in class_weights]
        definition = {
            "name": str(name),
            "classes": classes,
            "loss": loss,
            "convention": convention,
            "framework": framework or _framework(convention),
        }
        if self.pos_weight is not None:
            definition["posWeight"] = self.pos_weight
        if self.class_weights is not None:
            definition["classWeights"] = self.class_weights
        for key, value in (parameters or {}).items():
            definition.setdefault(key, value)
        self.definition = definition
        api = Api(url, token, timeout=timeout)
        self._sender = Sender(
            api,
            definition,
            Spool(spool or Spool.default_path(str(name)), api.url, definition),
            max_queue=max_queue,
            batch_size=batch_size,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
        )
        # a script that forgets finish() still gets its last records sent or spooled (at exit at the latest)
        weakref.finalize(self, Sender.finish, self._sender, 10.0)

    @property
    def id(self):
        """The server's id of this run, once created (None before, or while the server is unreachable)."""
        return self._sender.run_id

    @property
    def spool_path(self):
        return self._sender.spool.path

    def log(self, step, y_true, y_pred, loss=None, split="train", from_logits=False, epoch=0):
        """Computes one batch's per-class statistics where the tensors are and queues them.

        y_true, y_pred: the batch's targets and predictions (probabilities, or logits with
        from_logits=True), NumPy arrays or torch / TensorFlow tensors, classes on class_axis.
        step: the optimizer step, from 1 (the server keeps one record per split and step).
        loss: the loss the framework reported for this batch (optional; the server publishes the
        residual between it and the sum of the class terms).
        """
        _check_step(step)
        sums = self.batch_sums(y_true, y_pred, from_logits=from_logits)
        images = int(_shape(y_pred)[0])
        self.log_sums(step, sums, images, loss=loss, split=split, epoch=epoch)

    def batch_sums(self, y_true, y_pred, from_logits=False):
        kind = type(y_pred).__module__.split(".")[0]
        options = dict(
            loss=self.loss,
            convention=self.convention,
            from_logits=from_logits,
            class_axis=self.class_axis,
            pos_weight=self.pos_weight,
            class_weights=self.class_weights,
        )
        if kind == "torch":
            from . import torch_stats

            return torch_stats.batch_sums(y_true, y_pred, **options)
        if kind == "tensorflow":
            from . import tf_stats

            return {k: np.asarray(v) for k, v in tf_stats.batch_sums(y_true, y_pred, **options).items()}
        return stats.batch_sums(y_true, y_pred, **options)

    def log_sums(self, step, sums, images, loss=None, split="train", epoch=0):
        """Queues a record of already computed per-class sums (what the integrations call)."""
        _check_step(step)
        if split not in ("train", "validation"):
            raise ValueError(f"split: must be train or validation, got {split!r}")
        if len(sums["elements"]) != len(self.classes):
            raise ValueError(
                f"y_pred: {len(sums['elements'])} classes on the class axis, the run has {len(self.classes)}"
            )
        record = {
            "step": int(step),
            "epoch": int(epoch),
            "split": split,
            "images": int(images),
            "timestamp": int(time.time() * 1000),
            "classes": stats.class_records(sums, self.loss),
        }
        if loss is not None:
            value = float(loss)
            # JSON has no NaN or infinity: such a loss is left out (the class sums still show it)
            if math.isfinite(value):
                record["loss"] = value
        self._sender.submit(record)

    def flush(self, timeout=30.0):
        """Waits until everything logged so far was sent or spooled; False if that took longer than timeout."""
        return self._sender.flush(timeout)

    def finish(self, timeout=30.0):
        """Sends what is queued and ends the run on the server; True if the server has everything."""
        return self._sender.finish(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.finish()
        return False


def _check_step(step):
    if int(step) < 1:
        raise ValueError(f"step: must be 1 or more, got {step}")


def _shape(x):
    shape = getattr(x, "shape", None)
    return tuple(shape) if shape is not None else np.shape(x)


def _framework(convention):
    module = "keras" if convention == "keras" else "torch"
    loaded = sys.modules.get(module)
    version = getattr(loaded, "__version__", None)
    return f"{module} {version}" if version else module
