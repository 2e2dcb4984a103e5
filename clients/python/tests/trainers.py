"""Tiny U-Net-like networks trained for a few steps with each integration; each returns the loss the
framework itself reported, per step, for the tests to compare with the class terms."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

# "dust", not the built-in dataset's "speck": the server's own DL4J run must not be mistaken for these
CLASSES = ["sky", "ground", "dust"]
SIZE = 16


def data(images, layout, seed=0):
    """Images whose classes are easy (sky: top half, ground: bottom half) except a rare, faint dust spot."""
    rng = np.random.default_rng(seed)
    y = np.zeros((images, SIZE, SIZE, 3), np.float32)
    y[:, : SIZE // 2, :, 0] = 1
    y[:, SIZE // 2 :, :, 1] = 1
    x = rng.normal(0, 0.3, (images, SIZE, SIZE, 3)).astype(np.float32)
    x[..., 0] += y[..., 0]
    x[..., 1] += y[..., 1]
    for n in range(images):
        r, c = rng.integers(0, SIZE - 2, 2)
        y[n, r : r + 2, c : c + 2, 2] = 1
        x[n, r : r + 2, c : c + 2, 2] += 0.3
    if layout == "nchw":
        return np.ascontiguousarray(x.transpose(0, 3, 1, 2)), np.ascontiguousarray(y.transpose(0, 3, 1, 2))
    return x, y


def keras_unet():
    import keras
    from keras import layers

    keras.utils.set_random_seed(1)
    inp = keras.Input((SIZE, SIZE, 3))
    c1 = layers.Conv2D(8, 3, activation="relu", padding="same")(inp)
    p1 = layers.MaxPooling2D()(c1)
    c2 = layers.Conv2D(16, 3, activation="relu", padding="same")(p1)
    u1 = layers.Conv2DTranspose(8, 2, strides=2, padding="same")(c2)
    d1 = layers.Conv2D(8, 3, activation="relu", padding="same")(layers.concatenate([u1, c1]))
    out = layers.Conv2D(len(CLASSES), 1, activation="sigmoid")(d1)
    return keras.Model(inp, out)


def train_keras(run, epochs=3, images=8, batch_size=8, steps_per_execution=1, validation=False):
    """model.fit with the Statistics metric and the Callback. Returns {step: loss} where each epoch has
    exactly one batch (logs["loss"] then is that batch's loss, nothing derived), else {}; and the
    epoch-end logs (the running mean over the epoch) by epoch."""
    import keras

    import lossprism.keras

    x, y = data(images, "nhwc")
    model = keras_unet()
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="binary_crossentropy",
        metrics=[lossprism.keras.Statistics(run)],
        steps_per_execution=steps_per_execution,
    )
    batch_losses, epoch_losses = {}, {}

    class Record(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if images == batch_size:
                batch_losses[int(self.model.optimizer.iterations.numpy())] = float(logs["loss"])

        def on_epoch_end(self, epoch, logs=None):
            epoch_losses[epoch] = float(logs["loss"])

    vx, vy = data(4, "nhwc", seed=9)
    model.fit(
        x,
        y,
        batch_size=batch_size,
        epochs=epochs,
        shuffle=False,
        verbose=0,
        validation_data=(vx, vy) if validation else None,
        callbacks=[Record(), lossprism.keras.Callback(run)],
    )
    return batch_losses, epoch_losses


def torch_unet():
    import torch
    from torch import nn

    torch.manual_seed(1)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 8, 3, padding=1)
            self.c2 = nn.Conv2d(8, 16, 3, padding=1)
            self.up = nn.ConvTranspose2d(16, 8, 2, stride=2)
            self.d1 = nn.Conv2d(16, 8, 3, padding=1)
            self.out = nn.Conv2d(8, len(CLASSES), 1)

        def forward(self, x):
            a = torch.relu(self.c1(x))
            b = torch.relu(self.c2(nn.functional.max_pool2d(a, 2)))
            d = torch.relu(self.d1(torch.cat([self.up(b), a], 1)))
            return self.out(d)  # logits

    return Net()


def train_torch(run, steps=6, images=8, pos_weight=None):
    """A plain loop: run.log(step, y, logits, loss.item(), from_logits=True). Returns {step: loss}."""
    import torch

    torch.set_num_threads(1)
    x, y = (torch.from_numpy(a) for a in data(images, "nchw"))
    model = torch_unet()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    weight = None if pos_weight is None else torch.tensor(pos_weight).reshape(-1, 1, 1)
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
    losses = {}
    for step in range(1, steps + 1):
        optimizer.zero_grad()
        logits = model(x)
        loss = loss_fn(logits, y)
        loss.backward()
        optimizer.step()
        run.log(step, y, logits, loss.item(), from_logits=True)
        losses[step] = loss.item()
    run.finish()
    return losses


def train_lightning(run, epochs=4, images=8):
    """A LightningModule whose training_step returns loss, y_true and logits; lossprism.lightning.Callback.
    Returns {global step: loss} as training_step computed it."""
    import lightning as L
    import torch

    import lossprism.lightning

    torch.set_num_threads(1)
    x, y = (torch.from_numpy(a) for a in data(images, "nchw"))
    vx, vy = (torch.from_numpy(a) for a in data(4, "nchw", seed=9))
    losses = {}

    class Module(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = torch_unet()

        def training_step(self, batch, batch_idx):
            xb, yb = batch
            logits = self.net(xb)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, yb)
            losses[self.global_step + 1] = loss.item()
            return {"loss": loss, "y_true": yb, "logits": logits}

        def validation_step(self, batch, batch_idx):
            xb, yb = batch
            logits = self.net(xb)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, yb)
            return {"loss": loss, "y_true": yb, "logits": logits}

        def configure_optimizers(self):
            return torch.optim.Adam(self.parameters(), lr=0.01)

    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=images)
    validation = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(vx, vy), batch_size=4)
    trainer = L.Trainer(
        max_epochs=epochs,
        accelerator="cpu",
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        num_sanity_val_steps=0,
        callbacks=[lossprism.lightning.Callback(run)],
    )
    trainer.fit(Module(), loader, validation)
    return losses
