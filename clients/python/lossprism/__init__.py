"""Stream a Keras or PyTorch training's per-class loss decomposition to a LossPrism server.

The core needs NumPy only; `lossprism.keras` (Keras 3, TensorFlow backend) and `lossprism.lightning`
(PyTorch Lightning) are imported on demand.
"""

from .run import Run

__all__ = ["Run"]
__version__ = "0.1.0"


def __getattr__(name):
    # lossprism.keras and lossprism.lightning load their framework: only when asked for
    if name in ("keras", "lightning"):
        import importlib

        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'lossprism' has no attribute {name!r}")
