"""What the per-class statistics cost per batch, beside nothing else: NumPy, torch and TensorFlow, for the
seed's batch (16 images, 5 classes, 256 px unless given). Prints the median of 7 runs after 2 warm-ups.

    python clients/python/benchmarks/stats_cost.py [SIZE]
"""

import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np

from lossprism import stats


def median_ms(fn):
    for _ in range(2):
        fn()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return sorted(times)[len(times) // 2] * 1000


def main():
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 256
    rng = np.random.default_rng(0)
    y = (rng.random((16, size, size, 5)) < 0.1).astype(np.float32)
    z = rng.normal(0, 3, y.shape).astype(np.float32)
    print(f"batch 16 x {size} x {size} x 5 ({y.size / 1e6:.1f} M elements), BCE from logits, median of 7")
    print(f"numpy       {median_ms(lambda: stats.batch_sums(y, z, from_logits=True)):8.1f} ms")
    try:
        import torch

        from lossprism import torch_stats

        yt, zt = torch.from_numpy(np.moveaxis(y, -1, 1).copy()), torch.from_numpy(np.moveaxis(z, -1, 1).copy())
        ms = median_ms(lambda: torch_stats.batch_sums(yt, zt, convention="torch", from_logits=True, class_axis=1))
        print(f"torch       {ms:8.1f} ms  ({torch.get_num_threads()} threads)")
    except ImportError:
        print("torch       not installed")
    try:
        import tensorflow as tf

        from lossprism import tf_stats

        yf, zf = tf.constant(y), tf.constant(z)
        graph = tf.function(lambda a, b: tf_stats.batch_sums(a, b, from_logits=True))
        print(f"tensorflow  {median_ms(lambda: {k: v.numpy() for k, v in graph(yf, zf).items()}):8.1f} ms (tf.function)")
    except ImportError:
        print("tensorflow  not installed")


if __name__ == "__main__":
    main()
