"""Unit tests of utils/pretrained.py: the shipped checkpoint, its SHA-256 check, the opt-in ImageNet path.

Nothing here touches the network: downloads are patched to fail, and the ImageNet files are small
state_dicts that the tests write themselves.
"""

import hashlib
import json
import shutil

import pytest
import torch
import torchvision

from utils import pretrained
from utils.data import load_digit_tensors
from utils.pretrained import load_pretrained_resnet18

CHECKPOINT = pretrained.CHECKPOINTS / f"{pretrained.CHECKPOINT_NAME}.pt"
RECORD = CHECKPOINT.with_suffix(".json")


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to download fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"utils.pretrained tried to download: {args}")

    monkeypatch.setattr(torch.hub, "download_url_to_file", refuse)
    monkeypatch.setattr(torch.hub, "load_state_dict_from_url", refuse)


def sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def copy_checkpoint(folder):
    shutil.copy2(CHECKPOINT, folder / CHECKPOINT.name)
    shutil.copy2(RECORD, folder / RECORD.name)
    return folder / CHECKPOINT.name


# ------------------------------------------------------------------------- the course checkpoint


def test_course_checkpoint_is_shipped_small_and_recorded():
    assert CHECKPOINT.is_file() and RECORD.is_file()
    assert CHECKPOINT.stat().st_size <= 25 * 1024 * 1024
    record = json.loads(RECORD.read_text())
    assert record["sha256"] == sha256(CHECKPOINT)
    assert record["classes"] == pretrained.SOURCE_CLASSES and record["input_size"] == pretrained.INPUT_SIZE
    assert tuple(record["mean"]) == pretrained.MEAN and tuple(record["std"]) == pretrained.STD
    state = torch.load(CHECKPOINT, map_location="cpu", weights_only=True)
    assert {v.dtype for v in state.values() if v.is_floating_point()} == {torch.float16}
    assert (pretrained.CHECKPOINTS / f"{pretrained.CHECKPOINT_NAME}_training.txt").is_file()


def test_course_checkpoint_loads_offline_as_torchvision_resnet18():
    model = load_pretrained_resnet18()
    assert type(model) is torchvision.models.ResNet
    reference = torchvision.models.resnet18(num_classes=len(pretrained.SOURCE_CLASSES))
    assert [(k, v.shape) for k, v in model.state_dict().items()] == \
           [(k, v.shape) for k, v in reference.state_dict().items()]
    assert model.fc.in_features == pretrained.FEATURE_DIM == 512 and model.fc.out_features == 52
    assert all(p.dtype == torch.float32 and p.requires_grad for p in model.parameters())
    assert model.training
    x = torch.randn(2, 3, pretrained.INPUT_SIZE, pretrained.INPUT_SIZE)
    model.eval()
    with torch.no_grad():
        assert model(x).shape == (2, 52)


def test_course_checkpoint_same_weights_as_the_file_and_different_from_random_init():
    model = load_pretrained_resnet18()
    state = torch.load(CHECKPOINT, map_location="cpu", weights_only=True)
    torch.testing.assert_close(model.conv1.weight, state["conv1.weight"].float())
    assert not torch.allclose(model.conv1.weight, torchvision.models.resnet18().conv1.weight)


def test_normalization_constants_match_the_digits():
    images, _ = load_digit_tensors(pretrained.INPUT_SIZE)
    assert len(pretrained.MEAN) == len(pretrained.STD) == 3
    assert all(abs(m - images.mean().item()) < 1e-3 for m in pretrained.MEAN)
    assert all(abs(s - images.std().item()) < 1e-3 for s in pretrained.STD)
    assert len(pretrained.SOURCE_CLASSES) == len(set(pretrained.SOURCE_CLASSES)) == 52


def test_course_features_transfer_to_digits_better_than_random_init():
    """A cheap guard against shipping a broken checkpoint: a ridge classifier on frozen features of
    50 digits (5 per class) must beat the same classifier on a random-init ResNet-18's features."""
    images, labels = load_digit_tensors(pretrained.INPUT_SIZE)
    mean = torch.tensor(pretrained.MEAN).view(1, 3, 1, 1)
    std = torch.tensor(pretrained.STD).view(1, 3, 1, 1)
    inputs = (images.expand(-1, 3, -1, -1) - mean) / std
    few = [torch.nonzero(labels == c).flatten()[:5] for c in range(10)]
    chosen = torch.cat(few + [torch.arange(1300, 1797)])
    inputs, labels = inputs[chosen], labels[chosen]
    train, test = slice(0, 50), slice(50, None)

    def error(model):
        model.fc = torch.nn.Identity()
        model.eval()
        with torch.no_grad():
            features = model(inputs)
        features = (features - features[train].mean(0)) / (features[train].std(0) + 1e-3)
        x = torch.cat([features, torch.ones(len(features), 1)], dim=1)
        targets = torch.nn.functional.one_hot(labels[train], 10).float()
        gram = x[train].T @ x[train] + 10.0 * torch.eye(x.shape[1])
        weights = torch.linalg.solve(gram, x[train].T @ targets)
        return ((x[test] @ weights).argmax(1) != labels[test]).float().mean().item()

    torch.manual_seed(0)
    pretrained_error, random_error = error(load_pretrained_resnet18()), error(torchvision.models.resnet18())
    message = f"ridge test error, 5 per class: pretrained {pretrained_error:.3f}, random {random_error:.3f}"
    assert pretrained_error < 0.30 and pretrained_error < random_error - 0.05, message


def test_sha_mismatch_raises_clear_error(tmp_path):
    path = copy_checkpoint(tmp_path)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match="SHA-256 mismatch.*make pretrain"):
        load_pretrained_resnet18(path=path)


def test_git_lfs_pointer_is_named_in_the_error(tmp_path):
    path = copy_checkpoint(tmp_path)
    path.write_bytes(b"version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 1\n")
    with pytest.raises(ValueError, match="Git LFS pointer"):
        load_pretrained_resnet18(path=path)


def test_copied_checkpoint_with_its_record_loads(tmp_path):
    model = load_pretrained_resnet18(path=copy_checkpoint(tmp_path))
    torch.testing.assert_close(model.fc.bias, load_pretrained_resnet18().fc.bias)


def test_missing_checkpoint_or_record_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="make pretrain"):
        load_pretrained_resnet18(path=tmp_path / "missing.pt")
    path = copy_checkpoint(tmp_path)
    path.with_suffix(".json").unlink()
    with pytest.raises(FileNotFoundError, match="SHA-256"):
        load_pretrained_resnet18(path=path)


def test_unknown_weights_name_raises():
    with pytest.raises(ValueError, match="course.*imagenet"):
        load_pretrained_resnet18("cifar")


# ------------------------------------------------------------------------------ the ImageNet path


def write_imagenet_like(path, seed=0):
    torch.manual_seed(seed)
    state = torchvision.models.resnet18(weights=None).state_dict()
    torch.save(state, path)
    return state


def test_imagenet_weights_from_a_local_file(tmp_path):
    state = write_imagenet_like(tmp_path / "my_resnet18.pth")
    model = load_pretrained_resnet18("imagenet", path=tmp_path / "my_resnet18.pth")
    assert type(model) is torchvision.models.ResNet and model.fc.out_features == 1000
    for key, value in state.items():
        torch.testing.assert_close(model.state_dict()[key], value)


def test_imagenet_weights_from_the_hub_cache(tmp_path, monkeypatch):
    (tmp_path / "checkpoints").mkdir()
    staging = tmp_path / "staging.pth"
    state = write_imagenet_like(staging, seed=3)
    name = f"resnet18-{sha256(staging)[:8]}.pth"  # torchvision's naming: the hash prefix in the name
    staging.rename(tmp_path / "checkpoints" / name)
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    monkeypatch.setattr(pretrained, "IMAGENET_FILE", name)
    model = load_pretrained_resnet18("imagenet")
    torch.testing.assert_close(model.conv1.weight, state["conv1.weight"])


def test_imagenet_file_whose_name_promises_another_hash_is_refused(tmp_path):
    path = tmp_path / pretrained.IMAGENET_FILE
    write_imagenet_like(path)
    with pytest.raises(ValueError, match="SHA-256 mismatch"):
        load_pretrained_resnet18("imagenet", path=path)


def test_imagenet_without_a_file_never_downloads(tmp_path, monkeypatch):
    monkeypatch.setattr(torch.hub, "get_dir", lambda: str(tmp_path))
    with pytest.raises(FileNotFoundError, match="download.pytorch.org.*path="):
        load_pretrained_resnet18("imagenet")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_pretrained_resnet18("imagenet", path=tmp_path / "nowhere.pth")


def test_imagenet_file_with_wrong_keys_fails_loudly(tmp_path):
    torch.save({"not": torch.zeros(1)}, tmp_path / "broken.pth")
    with pytest.raises(RuntimeError, match="state_dict"):
        load_pretrained_resnet18("imagenet", path=tmp_path / "broken.pth")
