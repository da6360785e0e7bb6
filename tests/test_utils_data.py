"""Unit tests of utils/data.py: the offline digits as tensors, the stratified split, loaders."""

import re

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits

from utils import data

NUM_DIGITS = 1797


@pytest.fixture(scope="module")
def digits32():
    return data.load_digit_tensors()


@pytest.fixture(scope="module")
def sklearn_digits():
    return load_digits()


def toy(n=20, classes=2):
    """`images` [n, 1] holding each example's own index, and balanced labels [n]."""
    return torch.arange(n, dtype=torch.float32).unsqueeze(1), torch.arange(n) % classes


# ---------------------------------------------------------------- load_digit_tensors


def test_load_digit_tensors_default_shapes_and_dtypes(digits32):
    images, labels = digits32
    assert images.shape == (NUM_DIGITS, 1, 32, 32)
    assert images.dtype == torch.float32
    assert labels.shape == (NUM_DIGITS,)
    assert labels.dtype == torch.int64
    assert type(images) is torch.Tensor and type(labels) is torch.Tensor


def test_load_digit_tensors_range_and_labels(digits32):
    images, labels = digits32
    assert images.min().item() >= 0.0
    assert images.max().item() <= 1.0
    assert images.max().item() > 0.9  # really scaled to [0, 1], not left in 0..16 / 255
    assert torch.isfinite(images).all()
    assert sorted(labels.unique().tolist()) == list(range(10))
    assert data.NUM_DIGIT_CLASSES == 10
    assert torch.bincount(labels).min().item() >= 170  # about 180 per class


def test_load_digit_tensors_labels_match_sklearn(digits32, sklearn_digits):
    assert torch.equal(digits32[1], torch.as_tensor(sklearn_digits.target, dtype=torch.int64))


def test_load_digit_tensors_native_size_is_exact_scaling(sklearn_digits):
    images, labels = data.load_digit_tensors(8)
    assert images.shape == (NUM_DIGITS, 1, 8, 8)
    expected = torch.as_tensor(sklearn_digits.images, dtype=torch.float32).unsqueeze(1) / 16.0
    assert torch.allclose(images, expected)


@pytest.mark.parametrize("size", [9, 16, 24])
def test_load_digit_tensors_other_sizes(size):
    images, labels = data.load_digit_tensors(size)
    assert images.shape == (NUM_DIGITS, 1, size, size)
    assert images.dtype == torch.float32
    assert 0.0 <= images.min().item() and images.max().item() <= 1.0
    assert labels.shape == (NUM_DIGITS,)


def test_load_digit_tensors_is_deterministic_and_keeps_content(digits32):
    images, labels = data.load_digit_tensors(32)
    assert torch.equal(images, digits32[0])
    assert torch.equal(labels, digits32[1])
    small = data.load_digit_tensors(8)[0]
    # resizing keeps each image's mean brightness approximately
    assert torch.allclose(images.mean(dim=(1, 2, 3)), small.mean(dim=(1, 2, 3)), atol=0.05)


@pytest.mark.parametrize("size", [7, 0, -32, 8.0, 32.5, True, "32", None])
def test_load_digit_tensors_rejects_bad_sizes(size):
    with pytest.raises(ValueError, match=r"size must be an int >= 8 \(the digits are 8x8\), got "
                                         + re.escape(repr(size))):
        data.load_digit_tensors(size)


# ---------------------------------------------------------------- split_digits


def test_split_digits_shapes_and_partition():
    images, labels = toy(40, classes=4)
    train_x, train_y, test_x, test_y = data.split_digits(images, labels, test_fraction=0.25)
    assert train_x.shape == (30, 1) and train_y.shape == (30,)
    assert test_x.shape == (10, 1) and test_y.shape == (10,)
    train_ids = train_x[:, 0].long()
    test_ids = test_x[:, 0].long()
    assert sorted(torch.cat([train_ids, test_ids]).tolist()) == list(range(40))
    # images and labels stay paired
    assert torch.equal(train_y, labels[train_ids])
    assert torch.equal(test_y, labels[test_ids])
    assert train_y.dtype == labels.dtype and train_x.dtype == images.dtype


def test_split_digits_is_stratified_on_real_digits(digits32):
    images, labels = digits32
    train_x, train_y, test_x, test_y = data.split_digits(images, labels, test_fraction=0.25)
    assert len(train_y) + len(test_y) == NUM_DIGITS
    assert len(test_y) == int(np.ceil(0.25 * NUM_DIGITS))
    assert train_x.shape[1:] == (1, 32, 32) and test_x.shape[1:] == (1, 32, 32)
    per_class = torch.bincount(labels, minlength=10)
    test_counts = torch.bincount(test_y, minlength=10)
    train_counts = torch.bincount(train_y, minlength=10)
    assert torch.equal(test_counts + train_counts, per_class)
    # every class keeps its share on both sides (within one example of rounding)
    assert ((test_counts - 0.25 * per_class).abs() <= 1.0).all(), test_counts.tolist()


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9])
def test_split_digits_fraction_is_respected_per_class(fraction):
    images, labels = toy(200, classes=4)
    _, train_y, _, test_y = data.split_digits(images, labels, test_fraction=fraction)
    assert torch.bincount(test_y).tolist() == [round(50 * fraction)] * 4
    assert torch.bincount(train_y).tolist() == [50 - round(50 * fraction)] * 4


def test_split_digits_stratifies_unbalanced_classes():
    labels = torch.tensor([0] * 80 + [1] * 20)
    images = torch.arange(100, dtype=torch.float32).unsqueeze(1)
    _, train_y, _, test_y = data.split_digits(images, labels, test_fraction=0.5)
    assert torch.bincount(test_y).tolist() == [40, 10]
    assert torch.bincount(train_y).tolist() == [40, 10]


def test_split_digits_deterministic_by_seed():
    images, labels = toy(60, classes=3)
    first = data.split_digits(images, labels, seed=3)
    torch.manual_seed(99)
    np.random.seed(99)  # the global generators must not matter
    second = data.split_digits(images, labels, seed=3)
    for a, b in zip(first, second, strict=True):
        assert torch.equal(a, b)
    other = data.split_digits(images, labels, seed=4)
    assert not torch.equal(first[2], other[2])


def test_split_digits_does_not_modify_inputs():
    images, labels = toy(20)
    before = images.clone(), labels.clone()
    data.split_digits(images, labels)
    assert torch.equal(images, before[0]) and torch.equal(labels, before[1])


def test_split_digits_length_mismatch():
    images, labels = toy(20)
    with pytest.raises(ValueError, match=r"expected images \[N, \.\.\.\] and labels \[N\] of the same "
                                         r"length N, "
                                         r"got images \(20, 1\) and labels \(19,\)"):
        data.split_digits(images, labels[:19])


@pytest.mark.parametrize("fraction", [0.0, 1.0, -0.25, 1.5, 0, 1, float("nan")])
def test_split_digits_bad_fraction(fraction):
    images, labels = toy(20)
    with pytest.raises(ValueError, match=r"test_fraction must be a number in \(0, 1\), got "
                                         + re.escape(repr(fraction))):
        data.split_digits(images, labels, test_fraction=fraction)


@pytest.mark.parametrize("fraction", ["0.25", None])
def test_split_digits_non_numeric_fraction_is_reported_clearly(fraction):
    images, labels = toy(20)
    with pytest.raises((TypeError, ValueError),
                       match=r"test_fraction .*got " + re.escape(repr(fraction))):
        data.split_digits(images, labels, test_fraction=fraction)


def test_split_digits_numpy_inputs_are_reported_clearly():
    # load_digits() gives NumPy arrays: passing them straight in must say a tensor is expected
    bunch_images, bunch_labels = np.zeros((20, 8, 8)), np.arange(20) % 2
    with pytest.raises((TypeError, ValueError), match=r"(?i)tensor.*got .*ndarray"):
        data.split_digits(bunch_images, bunch_labels)


# ---------------------------------------------------------------- make_loader


def batches(loader):
    return [(x.clone(), y.clone()) for x, y in loader]


def test_make_loader_batch_shapes_and_order():
    images = torch.rand(10, 1, 8, 8)
    labels = torch.arange(10)
    loader = data.make_loader(images, labels, batch_size=4)
    assert isinstance(loader, torch.utils.data.DataLoader)
    assert len(loader) == 3
    got = batches(loader)
    assert [x.shape for x, _ in got] == [(4, 1, 8, 8), (4, 1, 8, 8), (2, 1, 8, 8)]
    assert [y.shape for _, y in got] == [(4,), (4,), (2,)]
    assert torch.equal(torch.cat([y for _, y in got]), labels)  # no shuffle: order kept
    assert torch.equal(torch.cat([x for x, _ in got]), images)
    assert got[0][0].dtype == torch.float32 and got[0][1].dtype == torch.int64


def test_make_loader_default_batch_size():
    images, labels = toy(130)
    assert [len(y) for _, y in data.make_loader(images, labels)] == [64, 64, 2]


def test_make_loader_batch_larger_than_data():
    images, labels = toy(5)
    got = batches(data.make_loader(images, labels, batch_size=64))
    assert len(got) == 1 and got[0][0].shape == (5, 1)


def order(loader):
    return torch.cat([y for _, y in loader]).tolist()


def test_make_loader_shuffle_is_seeded_and_reproducible():
    images = torch.arange(50, dtype=torch.float32).unsqueeze(1)
    labels = torch.arange(50)
    first = data.make_loader(images, labels, batch_size=8, shuffle=True, seed=1)
    second = data.make_loader(images, labels, batch_size=8, shuffle=True, seed=1)
    epochs_first = [order(first) for _ in range(2)]
    torch.manual_seed(12345)  # the global generator must not change the order
    epochs_second = [order(second) for _ in range(2)]
    assert epochs_first == epochs_second
    assert epochs_first[0] != list(range(50))  # really shuffled
    assert sorted(epochs_first[0]) == list(range(50))  # a permutation
    assert epochs_first[0] != epochs_first[1]  # each epoch gets a new order


def test_make_loader_shuffle_differs_by_seed():
    images, labels = torch.zeros(50, 1), torch.arange(50)
    a = order(data.make_loader(images, labels, shuffle=True, seed=1))
    b = order(data.make_loader(images, labels, shuffle=True, seed=2))
    assert a != b


def test_make_loader_shuffle_keeps_pairs_together():
    images = torch.arange(30, dtype=torch.float32).unsqueeze(1)
    labels = torch.arange(30) * 10
    for x, y in data.make_loader(images, labels, batch_size=7, shuffle=True, seed=0):
        assert torch.equal(x[:, 0].long() * 10, y)


def test_make_loader_works_with_real_digits(digits32):
    images, labels = digits32
    x, y = next(iter(data.make_loader(images, labels, batch_size=16, shuffle=True)))
    assert x.shape == (16, 1, 32, 32) and y.shape == (16,)


def test_make_loader_length_mismatch():
    with pytest.raises(ValueError, match=r"expected images \[N, \.\.\.\] and labels \[N\] of the same "
                                         r"length N, "
                                         r"got images \(10, 3\) and labels \(12,\)"):
        data.make_loader(torch.zeros(10, 3), torch.zeros(12))


@pytest.mark.parametrize("batch_size", [0, -4, 2.5, 4.0, "8", None])
def test_make_loader_bad_batch_size(batch_size):
    images, labels = toy(10)
    with pytest.raises(ValueError, match=r"batch_size must be a positive int, got "
                                         + re.escape(repr(batch_size))):
        data.make_loader(images, labels, batch_size=batch_size)


def test_make_loader_bool_batch_size_is_refused():
    images, labels = toy(10)
    with pytest.raises(ValueError, match=r"batch_size.*True"):
        data.make_loader(images, labels, batch_size=True)


@pytest.mark.parametrize(
    "images, labels",
    [
        (np.zeros((10, 1, 8, 8), dtype=np.float32), np.arange(10)),
        ([[0.0]] * 10, list(range(10))),
    ],
)
def test_make_loader_non_tensor_inputs_are_reported_clearly(images, labels):
    with pytest.raises((TypeError, ValueError), match=r"(?i)tensor.*got "):
        data.make_loader(images, labels)
