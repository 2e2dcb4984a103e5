"""The per-class sums with PyTorch's own operations, on the tensors' device; only C numbers per field
leave it."""

import numpy as np
import torch
import torch.nn.functional as F

from . import stats


@torch.no_grad()
def batch_sums(
    y_true,
    y_pred,
    *,
    loss="bce",
    convention="torch",
    from_logits=False,
    class_axis=1,
    pos_weight=None,
    class_weights=None,
):
    stats.check_options(loss, convention)
    p = y_pred.detach()
    y = torch.as_tensor(y_true, device=p.device).detach().to(p.dtype)
    if y.shape != p.shape:
        raise ValueError(f"y_true and y_pred: shapes differ, {tuple(y.shape)} vs {tuple(p.shape)}")
    axis = class_axis % p.dim()
    p = p.movedim(axis, -1)
    y = y.movedim(axis, -1)
    classes = p.shape[-1]
    p = p.reshape(-1, classes)
    y = y.reshape(-1, classes)
    positive = y > 0.5
    predicted = p > 0 if from_logits else p > stats.THRESHOLD
    out = {
        "positives": positive.sum(0),
        "tp": (positive & predicted).sum(0),
        "fp": (~positive & predicted).sum(0),
        "fn": (positive & ~predicted).sum(0),
        "tn": (~positive & ~predicted).sum(0),
    }
    if loss != "dice":
        per = _bce(y, p, convention, from_logits, pos_weight)
        if class_weights is not None:
            per = per * torch.as_tensor(class_weights, dtype=p.dtype, device=p.device)
        per = per.double()
        zero = torch.zeros((), dtype=per.dtype, device=per.device)
        out["positiveLoss"] = torch.where(positive, per, zero).sum(0)
        out["negativeLoss"] = torch.where(positive, zero, per).sum(0)
    if loss != "bce":
        prob = torch.sigmoid(p) if from_logits else p
        out["intersection"] = (y.double() * prob.double()).sum(0)
        out["predictionSum"] = prob.double().sum(0)
        out["truthSum"] = y.double().sum(0)
    result = {k: v.double().cpu().numpy() for k, v in out.items()}
    result["elements"] = np.full(classes, float(p.shape[0]))
    return result


def _bce(y, p, convention, from_logits, pos_weight):
    if from_logits:
        if convention == "keras":
            if pos_weight is not None:
                raise ValueError("pos_weight: PyTorch's BCEWithLogitsLoss only (convention torch)")
            # tf.nn.sigmoid_cross_entropy_with_logits: max(z, 0) - z y + log(1 + exp(-|z|))
            return torch.clamp(p, min=0) - p * y + torch.log1p(torch.exp(-p.abs()))
        weight = None if pos_weight is None else torch.as_tensor(pos_weight, dtype=p.dtype, device=p.device)
        return F.binary_cross_entropy_with_logits(p, y, pos_weight=weight, reduction="none")
    if pos_weight is not None:
        raise ValueError("pos_weight: only with from_logits=True (PyTorch's BCEWithLogitsLoss)")
    if convention == "keras":
        eps = stats.KERAS_EPSILON
        q = torch.clamp(p, eps, 1 - eps)
        return -(y * torch.log(q) + (1 - y) * torch.log(1 - q))
    return F.binary_cross_entropy(p, y, reduction="none")
