"""Where a Keras training step of the seed U-Net goes, in the phases `benchmark` reports for LossPrism.

The same network as ../shared/bench/keras_unet.py (485,853 parameters; NHWC, 3 channels in, 5 sigmoid
outputs), binary cross-entropy, Adam, batch 16, random data. Two compiled functions are timed in turn,
round after round, so that load on a shared machine falls on both alike:

  forward   the model on the batch, training=True
  step      forward, loss, gradients and Adam's update (what train_on_batch does)

backward + update = step - forward (medians). The update cannot be told apart this way: a function that
returns the gradients instead of applying them must write every one out, which costs more than Adam's
update itself. For measuring only: no test depends on it.

  python tools/keras_step_phases.py [--rounds 8] 128 256
"""

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402
import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from keras import layers  # noqa: E402


def double_conv(x, filters):
    for _ in range(2):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    return x


def seed_unet(size, classes=5):
    image = keras.Input((size, size, 3))
    x = layers.Rescaling(1 / 255)(image)
    skips = []
    for filters in (8, 16, 32, 64):
        x = double_conv(x, filters)
        skips.append(x)
        x = layers.MaxPooling2D()(x)
    x = double_conv(x, 128)
    for filters, skip in zip((64, 32, 16, 8), reversed(skips)):
        x = layers.Conv2DTranspose(filters, 2, strides=2, padding="same")(x)
        x = double_conv(layers.concatenate([x, skip]), filters)
    return keras.Model(image, layers.Conv2D(classes, 1, activation="sigmoid")(x))


def phases(size, rounds):
    model = seed_unet(size)
    optimizer = keras.optimizers.Adam()
    loss_of = keras.losses.BinaryCrossentropy()
    rng = np.random.default_rng(7)
    x = tf.constant(rng.integers(0, 255, (16, size, size, 3)).astype("float32"))
    y = tf.constant((rng.random((16, size, size, 5)) > 0.9).astype("float32"))

    @tf.function
    def forward():
        return model(x, training=True)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = loss_of(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights))
        return loss

    timed = {"forward": forward, "step": step}
    for fn in timed.values():  # trace and warm up
        for _ in range(2):
            _ = [t.numpy() for t in tf.nest.flatten(fn())]
    seconds = {name: [] for name in timed}
    for _ in range(rounds):
        for name, fn in timed.items():
            start = time.perf_counter()
            _ = [t.numpy() for t in tf.nest.flatten(fn())]
            seconds[name].append(time.perf_counter() - start)
    median = {name: sorted(v)[len(v) // 2] * 1000 for name, v in seconds.items()}
    fwd, full = median["forward"], median["step"]
    print(
        f"keras {size} px, batch 16, medians of {rounds}: forward {fwd:.0f} ms, "
        f"backward + update {full - fwd:.0f} ms, step {full:.0f} ms ({16000 / full:.1f} images/s); "
        f"(backward + update)/forward {(full - fwd) / fwd:.2f}",
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("sizes", nargs="*", type=int, default=[128, 256])
    args = parser.parse_args()
    for size in args.sizes:
        phases(size, args.rounds)


if __name__ == "__main__":
    main()
