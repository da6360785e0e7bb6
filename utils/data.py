"""Offline data sets: the handwritten digits bundled with scikit-learn, as tensors and loaders.

`load_digits` holds 1,797 real 8x8 grey-level digits (values 0..16) from 43 writers. Nothing
here touches the network.
"""

import torch
import torch.nn.functional as F
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

NUM_DIGIT_CLASSES = 10


def load_digit_tensors(size=32):
    """Return `(images [1797, 1, size, size] float32 in [0, 1], labels [1797] int64)`.

    The 8x8 digits are scaled to [0, 1] and resized with bilinear interpolation to `size`.
    """
    if not isinstance(size, int) or isinstance(size, bool) or size < 8:
        raise ValueError(f"size must be an int >= 8 (the digits are 8x8), got {size!r}")
    bunch = load_digits()
    images = torch.tensor(bunch.images, dtype=torch.float32).unsqueeze(1) / 16.0
    if size != 8:
        images = F.interpolate(images, size=(size, size), mode="bilinear", align_corners=False)
    labels = torch.tensor(bunch.target, dtype=torch.int64)
    return images.clamp_(0.0, 1.0), labels


def split_digits(images, labels, test_fraction=0.25, seed=0):
    """Stratified split: return `(train_images, train_labels, test_images, test_labels)`.

    `images` [N, ...], `labels` [N]; every class keeps its share on both sides.
    """
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"images and labels must have the same length, got {images.shape[0]} "
                         f"images and {labels.shape[0]} labels")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction!r}")
    train_idx, test_idx = train_test_split(torch.arange(labels.shape[0]).numpy(),
                                           test_size=test_fraction, random_state=seed,
                                           stratify=labels.numpy())
    train_idx, test_idx = torch.as_tensor(train_idx), torch.as_tensor(test_idx)
    return images[train_idx], labels[train_idx], images[test_idx], labels[test_idx]


def make_loader(images, labels, batch_size=64, shuffle=False, seed=0):
    """Return a `DataLoader` over `(images [N, ...], labels [N])`; shuffling is seeded by `seed`."""
    if images.shape[0] != labels.shape[0]:
        raise ValueError(f"images and labels must have the same length, got {images.shape[0]} "
                         f"images and {labels.shape[0]} labels")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    return DataLoader(TensorDataset(images, labels), batch_size=batch_size, shuffle=shuffle,
                      generator=generator)
