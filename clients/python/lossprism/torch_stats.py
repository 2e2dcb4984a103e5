"""The per-class sums with PyTorch's own operations, on the tensors' device; only C numbers per field
leave it."""

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
    # reduce over every axis but the classes', in place: no transposed copy of the batch
    dims = [d for d in range(p.dim()) if d != axis]
    classes = p.shape[axis]
    per_class = [1] * p.dim()
    per_class[axis] = classes
    positive = y > 0.5
    predicted = p > 0 if from_logits else p > stats.THRESHOLD

    def total(values):
        return values.sum(dims, dtype=torch.float64)

    out = stats.confusion(
        positive.sum(dims), predicted.sum(dims), (positive & predicted).sum(dims), p.numel() // classes
    )
    if loss != "dice":
        weight = None if pos_weight is None else torch.as_tensor(pos_weight, dtype=p.dtype, device=p.device)
        per = _bce(y, p, convention, from_logits, None if weight is None else weight.reshape(per_class))
        if class_weights is not None:
            per = per * torch.as_tensor(class_weights, dtype=p.dtype, device=p.device).reshape(per_class)
        zero = per.new_zeros(())
        out["positiveLoss"] = total(torch.where(positive, per, zero))
        out["negativeLoss"] = total(torch.where(positive, zero, per))
    if loss != "bce":
        prob = torch.sigmoid(p) if from_logits else p
        out["intersection"] = total(y * prob)
        out["predictionSum"] = total(prob)
        out["truthSum"] = total(y)
    # one transfer of a few numbers per class
    return {k: v.double().cpu().numpy() for k, v in out.items()}


def _bce(y, p, convention, from_logits, pos_weight):
    if from_logits:
        if convention == "keras":
            if pos_weight is not None:
                raise ValueError("pos_weight: PyTorch's BCEWithLogitsLoss only (convention torch)")
            # tf.nn.sigmoid_cross_entropy_with_logits: max(z, 0) - z y + log(1 + exp(-|z|))
            return torch.clamp(p, min=0) - p * y + torch.log1p(torch.exp(-p.abs()))
        return F.binary_cross_entropy_with_logits(p, y, pos_weight=pos_weight, reduction="none")
    if pos_weight is not None:
        raise ValueError("pos_weight: only with from_logits=True (PyTorch's BCEWithLogitsLoss)")
    if convention == "keras":
        eps = stats.KERAS_EPSILON
        q = torch.clamp(p, eps, 1 - eps)
        return -(y * torch.log(q) + (1 - y) * torch.log(1 - q))
    return F.binary_cross_entropy(p, y, reduction="none")
