"""The per-class sums against independent references: plain formulas in float64 for the counts and the
sums, and the frameworks' own losses for the total (the sums over classes, divided by the convention's
element count, are the loss Keras and PyTorch report)."""

import math

import numpy as np
import pytest

from lossprism import stats

RNG = np.random.default_rng(7)
CLASSES = 4


def batch(layout, saturate=True):
    """y, probabilities and logits, float32, with a rare class and exactly saturated predictions."""
    shape = (3, 6, 5, CLASSES) if layout == "nhwc" else (3, CLASSES, 6, 5)
    prevalence = np.array([0.5, 0.2, 0.05, 0.01])
    pshape = (1, 1, 1, CLASSES) if layout == "nhwc" else (1, CLASSES, 1, 1)
    y = (RNG.random(shape) < prevalence.reshape(pshape)).astype(np.float32)
    z = RNG.normal(0, 4, shape).astype(np.float32)
    if saturate:
        z.flat[:7] = [40, -40, 17, -17, 0, 90, -90]
    p = (1 / (1 + np.exp(-z.astype(np.float64)))).astype(np.float32)
    if saturate:
        p.flat[7:11] = [0.0, 1.0, 1.0, 0.0]
    return y, p, z


def reference_counts(y, predicted, axis):
    y = np.moveaxis(y, axis, -1).reshape(-1, CLASSES) > 0.5
    q = np.moveaxis(predicted, axis, -1).reshape(-1, CLASSES)
    out = {"tp": [], "fp": [], "fn": [], "tn": [], "positives": []}
    for c in range(CLASSES):
        t, pr = y[:, c], q[:, c]
        out["tp"].append(sum(1 for a, b in zip(t, pr) if a and b))
        out["fp"].append(sum(1 for a, b in zip(t, pr) if not a and b))
        out["fn"].append(sum(1 for a, b in zip(t, pr) if a and not b))
        out["tn"].append(sum(1 for a, b in zip(t, pr) if not a and not b))
        out["positives"].append(int(t.sum()))
    return out


def reference_element(y, v, convention, from_logits):
    """One element's loss, by the textbook formula in float64, with float32's clip bounds."""
    if from_logits:
        return max(v, 0) - v * y + math.log1p(math.exp(-abs(v)))
    if convention == "keras":
        lo = float(np.float32(1e-7))
        hi = float(np.float32(1) - np.float32(1e-7))
        q = min(max(v, lo), hi)
        return -(y * math.log(q) + (1 - y) * math.log(1 - q))
    lp = max(math.log(v), -100) if v > 0 else -100
    lq = max(math.log(1 - v), -100) if v < 1 else -100
    return -(y * lp + (1 - y) * lq)


@pytest.mark.parametrize("convention", ["keras", "torch"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_sums_match_a_float64_reference(convention, from_logits):
    layout = "nhwc" if convention == "keras" else "nchw"
    y, p, z = batch(layout)
    axis = -1 if layout == "nhwc" else 1
    pred = z if from_logits else p
    sums = stats.batch_sums(y, pred, convention=convention, from_logits=from_logits)
    yy = np.moveaxis(y, axis, -1).reshape(-1, CLASSES)
    vv = np.moveaxis(pred, axis, -1).reshape(-1, CLASSES).astype(np.float64)
    for c in range(CLASSES):
        pos = sum(reference_element(1.0, v, convention, from_logits) for t, v in zip(yy[:, c], vv[:, c]) if t > 0.5)
        neg = sum(reference_element(0.0, v, convention, from_logits) for t, v in zip(yy[:, c], vv[:, c]) if t <= 0.5)
        assert sums["positiveLoss"][c] == pytest.approx(pos, rel=2e-6, abs=1e-5)
        assert sums["negativeLoss"][c] == pytest.approx(neg, rel=2e-6, abs=1e-5)
    predicted = z > 0 if from_logits else p > 0.5
    for key, values in reference_counts(y, predicted, axis).items():
        assert sums[key].tolist() == values, key
    assert sums["elements"].tolist() == [y.size / CLASSES] * CLASSES


def test_a_saturated_wrong_prediction_costs_what_keras_float32_clipping_gives():
    y = np.zeros((1, 1, 1, 2), np.float32)
    y[..., 1] = 1
    p = np.array([1.0, 0.0], np.float32).reshape(1, 1, 1, 2)
    keras_sums = stats.batch_sums(y, p, convention="keras")
    # 1 - 1e-7 rounds to 0.99999988 in float32: -log(1.19e-7) = 15.94, not 16.12
    upper = float(np.float32(1) - np.float32(1e-7))
    assert keras_sums["negativeLoss"][0] == pytest.approx(-math.log(1 - upper), rel=1e-6)
    assert keras_sums["negativeLoss"][0] == pytest.approx(15.942, abs=1e-3)
    assert keras_sums["positiveLoss"][1] == pytest.approx(-math.log(1e-7), rel=1e-5)
    torch_sums = stats.batch_sums(np.moveaxis(y, -1, 1), np.moveaxis(p, -1, 1), convention="torch")
    assert torch_sums["negativeLoss"][0] == 100.0
    assert torch_sums["positiveLoss"][1] == 100.0


@pytest.mark.parametrize("from_logits", [False, True])
def test_keras_terms_add_up_to_keras_binary_crossentropy(from_logits):
    import keras

    y, p, z = batch("nhwc", saturate=not from_logits)
    pred = z if from_logits else p
    sums = stats.batch_sums(y, pred, convention="keras", from_logits=from_logits)
    total = (sums["positiveLoss"] + sums["negativeLoss"]).sum() / sums["elements"].sum()
    expected = float(keras.losses.BinaryCrossentropy(from_logits=from_logits)(y, pred))
    assert total == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("from_logits", [False, True])
def test_torch_terms_add_up_to_torch_bce(from_logits):
    import torch

    y, p, z = batch("nchw")
    yt = torch.from_numpy(y)
    if from_logits:
        pw = torch.tensor([1.0, 3.0, 10.0, 50.0]).reshape(CLASSES, 1, 1)
        expected = float(torch.nn.BCEWithLogitsLoss(pos_weight=pw)(torch.from_numpy(z), yt))
        sums = stats.batch_sums(y, z, convention="torch", from_logits=True, pos_weight=[1, 3, 10, 50])
    else:
        expected = float(torch.nn.BCELoss()(torch.from_numpy(p), yt))
        sums = stats.batch_sums(y, p, convention="torch")
    total = (sums["positiveLoss"] + sums["negativeLoss"]).sum() / sums["elements"].sum()
    assert total == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize("convention", ["keras", "torch"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_torch_tensors_give_the_numpy_sums(convention, from_logits):
    import torch

    from lossprism import torch_stats

    y, p, z = batch("nchw")
    pred = z if from_logits else p
    expected = stats.batch_sums(y, pred, convention=convention, from_logits=from_logits, class_axis=1)
    got = torch_stats.batch_sums(
        torch.from_numpy(y), torch.from_numpy(pred), convention=convention, from_logits=from_logits, class_axis=1
    )
    for key in expected:
        np.testing.assert_allclose(got[key], expected[key], rtol=1e-5, atol=1e-4, err_msg=key)


@pytest.mark.parametrize("convention", ["keras", "torch"])
@pytest.mark.parametrize("from_logits", [False, True])
def test_tensorflow_tensors_give_the_numpy_sums(convention, from_logits):
    import tensorflow as tf

    from lossprism import tf_stats

    y, p, z = batch("nhwc")
    pred = z if from_logits else p
    expected = stats.batch_sums(y, pred, convention=convention, from_logits=from_logits, class_axis=-1)
    got = tf_stats.batch_sums(tf.constant(y), tf.constant(pred), convention=convention, from_logits=from_logits)
    for key in expected:
        np.testing.assert_allclose(got[key].numpy(), expected[key], rtol=1e-5, atol=1e-4, err_msg=key)


def test_dice_sums():
    y, p, _ = batch("nhwc")
    sums = stats.batch_sums(y, p, loss="dice")
    yy, pp = y.reshape(-1, CLASSES).astype(np.float64), p.reshape(-1, CLASSES).astype(np.float64)
    np.testing.assert_allclose(sums["intersection"], (yy * pp).sum(0), rtol=1e-6)
    np.testing.assert_allclose(sums["predictionSum"], pp.sum(0), rtol=1e-6)
    np.testing.assert_allclose(sums["truthSum"], yy.sum(0), rtol=1e-6)
    assert "positiveLoss" not in sums


def test_sums_of_two_batches_are_the_sums_of_their_union():
    y, p, _ = batch("nhwc")
    whole = stats.batch_sums(y, p)
    parts = stats.add_sums(stats.batch_sums(y[:1], p[:1]), stats.batch_sums(y[1:], p[1:]))
    for key in whole:
        np.testing.assert_allclose(parts[key], whole[key], rtol=1e-12)


def test_bad_input_names_the_argument():
    y, p, _ = batch("nhwc")
    with pytest.raises(ValueError, match="shapes differ"):
        stats.batch_sums(y, p[:1])
    with pytest.raises(ValueError, match="convention"):
        stats.batch_sums(y, p, convention="jax")
    with pytest.raises(ValueError, match="loss"):
        stats.batch_sums(y, p, loss="focal")


def test_bce_dice_sends_both_kinds_of_sums():
    y, p, _ = batch("nhwc")
    both = stats.batch_sums(y, p, loss="bce_dice")
    bce = stats.batch_sums(y, p, loss="bce")
    dice = stats.batch_sums(y, p, loss="dice")
    assert set(both) == set(bce) | set(dice) == set(stats.FIELDS["bce_dice"])
    for key in both:
        np.testing.assert_array_equal(both[key], bce[key] if key in bce else dice[key])


@pytest.mark.parametrize("weights", ["image", "pixel"])
def test_tensorflow_sample_weight_sums_add_up_to_keras_weighted_loss(weights):
    import keras
    import tensorflow as tf

    from lossprism import tf_stats

    y, p, _ = batch("nhwc")
    # per image as [N, 1, 1] (Keras' loss does not broadcast a plain [N] against [N, H, W]), or per pixel
    sw = RNG.random((y.shape[0], 1, 1) if weights == "image" else y.shape[:3]).astype(np.float32) * 3
    sums = tf_stats.batch_sums(tf.constant(y), tf.constant(p), sample_weight=tf.constant(sw))
    total = float(tf.reduce_sum(sums["positiveLoss"] + sums["negativeLoss"]) / tf.reduce_sum(sums["elements"]))
    expected = float(keras.losses.BinaryCrossentropy()(y, p, sample_weight=sw))
    assert total == pytest.approx(expected, rel=1e-6)
