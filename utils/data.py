"""Offline data sets: the handwritten digits bundled with scikit-learn, as tensors and loaders.

`load_digits` holds 1,797 real 8x8 grey-level digits (values 0..16) from 43 writers. Nothing
here touches the network. Importing this module does not import scikit-learn (about 1-2 s of
start-up, mostly SciPy): the digits are read from the file scikit-learn bundles, and scikit-learn
is imported only by `split_digits`.
"""

import functools
import importlib.util
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

NUM_DIGIT_CLASSES = 10


def _check_pair(images, labels):
    """Raise a clear error unless `images` [N, ...] and `labels` [N] are tensors of one length."""
    for name, value in (("images", images), ("labels", labels)):
        if not isinstance(value, torch.Tensor):
            raise TypeError(f"{name} must be a torch.Tensor, got {type(value).__name__} "
                            f"(convert with torch.as_tensor)")
    if images.dim() == 0 or labels.dim() != 1 or images.shape[0] != labels.shape[0]:
        raise ValueError(f"expected images [N, ...] and labels [N] of the same length N, got images "
                         f"{tuple(images.shape)} and labels {tuple(labels.shape)}")


@functools.lru_cache(maxsize=1)
def _digits_arrays():
    """`(images [1797, 8, 8] float64 in 0..16, target [1797] int)`, as `sklearn.datasets.load_digits`.

    Read straight from scikit-learn's bundled `datasets/data/digits.csv.gz` (what `load_digits`
    reads) without importing scikit-learn; falls back to `load_digits` if the file is not there.
    Cached: callers must not modify the arrays.
    """
    spec = importlib.util.find_spec("sklearn")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "datasets" / "data" / "digits.csv.gz"
        if path.is_file():
            data = np.loadtxt(path, delimiter=",")
            return data[:, :-1].reshape(-1, 8, 8), data[:, -1].astype(int)
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.images, bunch.target


def load_digit_tensors(size=32):
    """Return `(images [1797, 1, size, size] float32 in [0, 1], labels [1797] int64)`.

    The 8x8 digits are scaled to [0, 1] and resized with bilinear interpolation to `size`.
    """
    if not isinstance(size, int) or isinstance(size, bool) or size < 8:
        raise ValueError(f"size must be an int >= 8 (the digits are 8x8), got {size!r}")
    digit_images, digit_labels = _digits_arrays()
    images = torch.tensor(digit_images, dtype=torch.float32).unsqueeze(1) / 16.0
    if size != 8:
        images = F.interpolate(images, size=(size, size), mode="bilinear", align_corners=False)
    labels = torch.tensor(digit_labels, dtype=torch.int64)
    return images.clamp_(0.0, 1.0), labels


def split_digits(images, labels, test_fraction=0.25, seed=0):
    """Stratified split: return `(train_images, train_labels, test_images, test_labels)`.

    `images` [N, ...], `labels` [N]; every class keeps its share on both sides.
    """
    _check_pair(images, labels)
    if isinstance(test_fraction, bool) or not isinstance(test_fraction, (int, float)) \
            or not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be a number in (0, 1), got {test_fraction!r}")
    from sklearn.model_selection import train_test_split  # imported here: slow, seldom needed

    train_idx, test_idx = train_test_split(torch.arange(labels.shape[0]).numpy(),
                                           test_size=test_fraction, random_state=seed,
                                           stratify=labels.numpy())
    train_idx, test_idx = torch.as_tensor(train_idx), torch.as_tensor(test_idx)
    return images[train_idx], labels[train_idx], images[test_idx], labels[test_idx]


def make_loader(images, labels, batch_size=64, shuffle=False, seed=0):
    """Return a `DataLoader` over `(images [N, ...], labels [N])`; shuffling is seeded by `seed`."""
    _check_pair(images, labels)
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed < 2**63:
        raise ValueError(f"seed must be an int in [0, 2**63), got {seed!r}")
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    return DataLoader(TensorDataset(images, labels), batch_size=batch_size, shuffle=shuffle,
                      generator=generator)
