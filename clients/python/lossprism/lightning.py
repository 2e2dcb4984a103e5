"""PyTorch Lightning: a callback that reads the targets, the network's output and the loss from what
training_step returns.

    def training_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        return {"loss": loss, "y_true": y, "logits": logits}

    trainer = L.Trainer(callbacks=[lossprism.lightning.Callback(run)])

validation_step may return the same keys: one validation record per validation pass.
"""

import logging

try:
    import lightning.pytorch as pl
except ImportError:  # the older package name
    import pytorch_lightning as pl

from . import stats

log = logging.getLogger("lossprism")


class Callback(pl.Callback):
    def __init__(self, run, y_true="y_true", y_pred="logits", from_logits=True, finish=True):
        super().__init__()
        self.run = run
        self.y_true = y_true
        self.y_pred = y_pred
        self.from_logits = from_logits
        self.finish = finish
        self._validation = None
        self._validation_images = 0
        self._validation_loss = 0.0
        self._warned = False

    def _tensors(self, outputs):
        if isinstance(outputs, dict) and self.y_true in outputs and self.y_pred in outputs:
            return outputs[self.y_true], outputs[self.y_pred], outputs.get("loss")
        if not self._warned:
            self._warned = True
            log.warning(
                "lossprism: training_step/validation_step should return a dict with %r, %r and 'loss'; nothing sent",
                self.y_true,
                self.y_pred,
            )
        return None

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        found = self._tensors(outputs)
        if found is None:
            return
        y, p, loss = found
        self.run.log(
            trainer.global_step,
            y,
            p,
            loss=None if loss is None else float(loss.detach()),
            split="train",
            from_logits=self.from_logits,
            epoch=trainer.current_epoch,
        )

    def on_validation_epoch_start(self, trainer, pl_module):
        self._validation, self._validation_images, self._validation_loss = None, 0, 0.0

    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0):
        if trainer.sanity_checking:
            return
        found = self._tensors(outputs)
        if found is None:
            return
        y, p, loss = found
        sums = self.run.batch_sums(y, p, from_logits=self.from_logits)
        images = int(p.shape[0])
        self._validation = sums if self._validation is None else stats.add_sums(self._validation, sums)
        if loss is not None and self._validation_loss is not None:
            self._validation_loss += float(loss.detach()) * images
        else:
            self._validation_loss = None
        self._validation_images += images

    def on_validation_epoch_end(self, trainer, pl_module):
        if trainer.sanity_checking or self._validation is None:
            return
        loss = None if self._validation_loss is None else self._validation_loss / self._validation_images
        self.run.log_sums(
            trainer.global_step,
            self._validation,
            self._validation_images,
            loss=loss,
            split="validation",
            epoch=trainer.current_epoch,
        )
        self._validation = None

    def on_train_end(self, trainer, pl_module):
        if self.finish:
            self.run.finish()
