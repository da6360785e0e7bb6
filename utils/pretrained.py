"""The pretrained backbone for transfer learning: a torchvision ResNet-18, loaded offline.

Two sources of weights, both giving the exact `torchvision.models.resnet18` architecture:

* `"course"` (default): the checkpoint this course ships in `utils/checkpoints/`, pretrained on
  52 classes of letters (A-Z, a-z) rendered from matplotlib's bundled fonts and degraded like the
  8x8 handwritten digits (`make pretrain` reproduces it; see its training log beside it). Its
  SHA-256 is verified at every load. Inputs: grey images resized to `INPUT_SIZE` x `INPUT_SIZE`,
  repeated to 3 channels, normalized with `MEAN` and `STD`.
* `"imagenet"` (opt-in): torchvision's ImageNet weights (`ResNet18_Weights.IMAGENET1K_V1`), only
  from a file already on disk; nothing is ever downloaded. Inputs: RGB normalized with
  `IMAGENET_MEAN` and `IMAGENET_STD` (trained at `IMAGENET_INPUT_SIZE`).

Shapes: the network maps `[B, 3, H, W]` to logits `[B, fc.out_features]`; the layer before `fc`
(global average pooling, flattened) gives features `[B, FEATURE_DIM]` = `[B, 512]`. Replace
`model.fc` to reuse the backbone for another task.
"""

import hashlib
import json
import re
import string
from pathlib import Path

import torch
import torchvision

CHECKPOINTS = Path(__file__).resolve().parent / "checkpoints"
CHECKPOINT_NAME = "resnet18_letters"

#: Classes of the course checkpoint's `fc` (its source task), in output order: "A".."Z", "a".."z".
SOURCE_CLASSES = string.ascii_uppercase + string.ascii_lowercase
#: Side of the square inputs the course checkpoint was trained on (digits are 8x8: 16x16 keeps all of it).
INPUT_SIZE = 16
#: Per-channel mean and std of the course inputs: the pixel statistics of `utils.data.load_digit_tensors`
#: at `INPUT_SIZE` (values in [0, 1]), repeated over the 3 input channels.
MEAN = (0.3053, 0.3053, 0.3053)
STD = (0.3189, 0.3189, 0.3189)
#: Width of the features before `fc` (ResNet-18's last stage has 512 channels).
FEATURE_DIM = 512

IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
IMAGENET_INPUT_SIZE = 224
IMAGENET_FILE = "resnet18-f37072fd.pth"
IMAGENET_URL = f"https://download.pytorch.org/models/{IMAGENET_FILE}"

WEIGHTS = ("course", "imagenet")


def file_sha256(path):
    """The SHA-256 of the file at `path`, as a hex string (read in 1 MiB blocks)."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _load_state_dict(path):
    return torch.load(path, map_location="cpu", weights_only=True)


def _course_model(path):
    path = Path(path) if path is not None else CHECKPOINTS / f"{CHECKPOINT_NAME}.pt"
    record_path = path.with_suffix(".json")
    if not path.is_file():
        raise FileNotFoundError(
            f"course checkpoint {path} is missing: it ships with the course in utils/checkpoints/; "
            f"restore it from the repository, or rebuild it with `make pretrain` (a few minutes on CPU)")
    if not record_path.is_file():
        raise FileNotFoundError(f"{record_path} (the checkpoint's recorded SHA-256) is missing: restore it "
                                f"from the repository or rebuild both files with `make pretrain`")
    record = json.loads(record_path.read_text())
    actual = file_sha256(path)
    if actual != record["sha256"]:
        hint = ""
        if path.stat().st_size < 1000 and path.read_bytes().startswith(b"version https://git-lfs"):
            hint = " (the file is a Git LFS pointer: run `git lfs pull`)"
        raise ValueError(f"SHA-256 mismatch for {path}: expected {record['sha256']} (recorded in "
                         f"{record_path.name}), got {actual}{hint}. The file is corrupt or was changed: "
                         f"restore it from the repository, or run `make pretrain` to rebuild checkpoint and "
                         f"record together")
    model = torchvision.models.resnet18(num_classes=len(record.get("classes", SOURCE_CLASSES)))
    state = {k: (v.float() if v.is_floating_point() else v) for k, v in _load_state_dict(path).items()}
    model.load_state_dict(state, strict=True)
    return model


def _imagenet_model(path):
    if path is None:
        path = Path(torch.hub.get_dir()) / "checkpoints" / IMAGENET_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"ImageNet weights for resnet18 are not on this machine (looked in torch's hub cache: "
                f"{path}). Nothing is downloaded here: on a machine with network, download {IMAGENET_URL} "
                f"(or run torchvision.models.resnet18(weights='IMAGENET1K_V1') once), then copy the file to "
                f"{path} or pass load_pretrained_resnet18('imagenet', path='/where/it/is/{IMAGENET_FILE}')")
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"ImageNet weights file {path} does not exist: download {IMAGENET_URL} "
                                f"on a machine with network and pass its local path")
    # torchvision names its files <arch>-<first hex digits of the SHA-256>.pth: check them as torch.hub does.
    match = re.fullmatch(r"resnet18-([0-9a-f]{8,})\.pth", path.name)
    if match:
        actual = file_sha256(path)
        if not actual.startswith(match.group(1)):
            raise ValueError(f"SHA-256 mismatch for {path}: its name promises a hash starting with "
                             f"{match.group(1)}, the file's hash is {actual}; download it again")
    model = torchvision.models.resnet18(weights=None)
    model.load_state_dict(_load_state_dict(path), strict=True)
    return model


def load_pretrained_resnet18(weights="course", path=None):
    """Return a `torchvision.models.resnet18` with pretrained weights, loaded offline, in float32.

    weights="course": the course checkpoint (or the file `path`, with its `.json` record beside it);
        its SHA-256 must match the record, else `ValueError`; a missing file raises
        `FileNotFoundError`. `fc` is `Linear(512, 52)`: the letter classes of `SOURCE_CLASSES`.
        Expects `[B, 3, INPUT_SIZE, INPUT_SIZE]` grey images (channel repeated) normalized with
        `MEAN`, `STD`.
    weights="imagenet": torchvision's ImageNet-1k weights from the local file `path`, or from torch's
        hub cache when `path` is None; never downloads: `FileNotFoundError` says how to get the file.
        `fc` is `Linear(512, 1000)`. Expects RGB `[B, 3, H, W]` normalized with `IMAGENET_MEAN`,
        `IMAGENET_STD`.

    The model maps `[B, 3, H, W]` to logits `[B, fc.out_features]`; the input to `fc` is the
    feature vector `[B, FEATURE_DIM]`. Like torchvision's constructors it is returned in training
    mode, with every parameter trainable.
    """
    if weights == "course":
        return _course_model(path)
    if weights == "imagenet":
        return _imagenet_model(path)
    raise ValueError(f"weights must be one of {WEIGHTS}, got {weights!r}")
