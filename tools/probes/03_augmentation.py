"""Crosscheck probes of 03_augmentation (see tools/crosscheck.py): instructor-side, never shipped.

hflip_boxes and crop_boxes are deterministic: compared with the reference value by value. The random
augmentations draw their own numbers, so an honest answer need not match the reference draw for
draw: their probes return the inputs (compared exactly with the reference's: nothing patched the
input generation) and the raw outputs, and a `verify` function, run in the trusted parent on plain
numpy arrays, checks what the hidden tests check: p=0 and p=1 exactly, each image flipped or not and
its boxes following it, the flips decided by torch.rand(B, generator=generator) < p, the share of
flips, each crop a window of the padded image, every offset reached, cutout squares centred on a
pixel and clipped at the borders, every centre reached, inputs unchanged, same generator seed gives
the same result, another seed another one.
The probe functions run inside the sandbox (torch only); the verify functions use numpy only.
"""

import numpy as np

try:  # the parent, which only runs the verify functions, does not need torch to load this file
    import torch
except ImportError:  # pragma: no cover
    torch = None

from probe_common import Probe, generator_decides, raises

# The built-ins the exercises teach: each probe runs under utils.shortcuts.forbid_builtins(TOPIC).
TOPIC = "transforms"


def random_boxes(g, n, height, width):
    xs = (torch.rand(n, 2, generator=g) * width).sort(dim=1).values
    ys = (torch.rand(n, 2, generator=g) * height).sort(dim=1).values
    return torch.stack([xs[:, 0], ys[:, 0], xs[:, 1], ys[:, 1]], dim=1)


def hflip_boxes_values(ns, g):
    f, out = ns["hflip_boxes"], {}
    for k, (n, width, dtype) in enumerate(
        [(5, 32, torch.float32), (1, 7, torch.float32), (8, 100, torch.float64), (3, 13, torch.float32)]
    ):
        boxes = random_boxes(g, n, 20, width).to(dtype)
        before = boxes.clone()
        result = f(boxes, width)
        out[f"random{k}"], out[f"twice{k}"] = result, f(result, width)
        out[f"unchanged{k}"] = torch.equal(before, boxes)
    out["int64"] = f(torch.tensor([[0, 1, 3, 4], [2, 0, 9, 5], [5, 5, 6, 6]]), 9)
    out["empty"] = f(torch.zeros(0, 4), 16)
    out["raises"] = [raises(f, torch.zeros(3, 5), 10), raises(f, torch.zeros(1, 2, 4), 10)]
    return out


# --- random_horizontal_flip ---------------------------------------------------------------------


def flip_values(ns, g):
    f, out = ns["random_horizontal_flip"], {}
    batch = torch.rand(6, 3, 5, 7, generator=g)
    sets = [random_boxes(g, k % 4, 5, 7) for k in range(6)]
    out["small"] = batch
    for p in (1.0, 0.0):
        images, boxes = f(batch, sets, p=p)
        out[f"p{p:g}_images"] = images
        for k in range(6):
            out[f"small_boxes{k}"], out[f"p{p:g}_boxes{k}"] = sets[k], boxes[k]
    batch = torch.rand(64, 2, 4, 6, generator=g, dtype=torch.float64)
    sets = [random_boxes(g, k % 4, 4, 6) for k in range(64)]
    out["batch"] = batch.clone()
    images, boxes = f(batch, sets, p=0.5, generator=torch.Generator().manual_seed(11))
    out["half_images"], out["half_count"] = images, len(boxes)
    for k in range(64):
        out[f"in_boxes{k}"], out[f"half_boxes{k}"] = sets[k], boxes[k]
    out["after_batch"] = batch
    tiny = torch.arange(2.0).repeat(4000, 1, 1, 1)
    out["quarter"] = f(tiny, p=0.25, generator=torch.Generator().manual_seed(5))[0][:, 0, 0, 0]
    out["repeat_a"] = f(batch, generator=torch.Generator().manual_seed(21))[0]
    torch.rand(7)
    out["repeat_b"] = f(batch, generator=torch.Generator().manual_seed(21))[0]
    out["other"] = f(batch, generator=torch.Generator().manual_seed(22))[0]
    out["raises"] = [
        raises(f, torch.rand(3, 4, 4)),
        raises(f, torch.rand(3, 1, 4, 4), [torch.zeros(1, 4)] * 2),
    ]
    return out


def np_flip_boxes(boxes, width):
    return np.stack([width - boxes[:, 2], boxes[:, 1], width - boxes[:, 0], boxes[:, 3]], axis=1)


def close(a, b, atol=1e-5):
    return a.shape == b.shape and bool(np.allclose(a, b, atol=atol, rtol=1e-4))


def same_inputs(theirs, ours, prefixes):
    for key in ours:
        if key.startswith(prefixes):
            if (
                key not in theirs
                or theirs[key].dtype != ours[key].dtype
                or not np.array_equal(theirs[key], ours[key])
            ):
                return f"the probe's input {key!r} differs from the reference's (was torch patched?)"
    return None


def flip_verify(theirs, ours):
    problem = same_inputs(theirs, ours, ("small", "batch", "in_boxes"))
    if problem:
        return problem
    small = ours["small"]
    if not close(theirs["p1_images"], small[..., ::-1]) or not close(theirs["p0_images"], small):
        return "p=1 must flip every image and p=0 none"
    for k in range(6):
        if not close(theirs[f"p1_boxes{k}"], np_flip_boxes(ours[f"small_boxes{k}"], 7)) or not close(
            theirs[f"p0_boxes{k}"], ours[f"small_boxes{k}"]
        ):
            return f"box set {k} with p=1 or p=0"
    batch, images = ours["batch"], theirs["half_images"]
    if images.shape != batch.shape or images.dtype != batch.dtype or int(theirs["half_count"]) != 64:
        return "p=0.5: images or boxes of the wrong shape, dtype or count"
    flips = []
    for k in range(64):
        if np.array_equal(images[k], batch[k, ..., ::-1]):
            flips.append(True)
        elif np.array_equal(images[k], batch[k]):
            flips.append(False)
        else:
            return f"p=0.5: image {k} is neither the input nor its mirror"
        expected = np_flip_boxes(ours[f"in_boxes{k}"], 6) if flips[-1] else ours[f"in_boxes{k}"]
        if not close(theirs[f"half_boxes{k}"], expected):
            return f"p=0.5: box set {k} does not follow its image"
    if not 0 < sum(flips) < 64:
        return f"p=0.5 flipped {sum(flips)} of 64 images"
    reference_flips = [bool(np.array_equal(ours["half_images"][k], batch[k, ..., ::-1])) for k in range(64)]
    if flips != reference_flips:
        return "p=0.5: the flips do not follow torch.rand(B, generator=generator) < p"
    if not np.array_equal(theirs["after_batch"], batch):
        return "the input images were changed"
    share = float(np.mean(theirs["quarter"] == 1.0))
    if not 0.2 < share < 0.3:
        return f"p=0.25 flipped {share:.1%} of the images"
    if not generator_decides(theirs):
        return "the generator does not decide the flips"
    if not theirs["raises"].all():
        return "no ValueError for bad input"
    return None


# --- random_crop --------------------------------------------------------------------------------

CROPS = [
    ((32, 3, 8, 8), 8, 2, "reflect"),
    ((40, 2, 6, 9), 7, 3, "reflect"),
    ((32, 1, 8, 8), 6, 2, "constant"),
]


def crop_values(ns, g):
    f, out = ns["random_crop"], {}
    for k, (shape, size, padding, mode) in enumerate(CROPS):
        batch = torch.rand(*shape, generator=g) * 0.9 + 0.1
        out[f"batch{k}"] = batch.clone()
        out[f"crops{k}"] = f(
            batch, size, padding=padding, padding_mode=mode, generator=torch.Generator().manual_seed(4)
        )
        out[f"after{k}"] = batch
    batch = torch.rand(600, 1, 6, 6, generator=g)
    out["every"], out["crops_every"] = (
        batch,
        f(batch, 4, padding=0, generator=torch.Generator().manual_seed(8)),
    )
    batch = torch.rand(16, 3, 10, 10, generator=g)
    out["repeat_a"] = f(batch, 8, padding=2, generator=torch.Generator().manual_seed(3))
    torch.rand(5)
    out["repeat_b"] = f(batch, 8, padding=2, generator=torch.Generator().manual_seed(3))
    out["other"] = f(batch, 8, padding=2, generator=torch.Generator().manual_seed(4))
    wide = torch.rand(24, 2, 8, 12, generator=g)
    out["wide"], out["crops_wide"] = wide, f(wide, 12, padding=2)
    out["raises"] = [raises(f, torch.rand(2, 1, 8, 12), 13, padding=2), raises(f, torch.rand(1, 8, 8), 4)]
    return out


def windows(crops, padded):
    """[B, rows, cols] bool: where each crop sits in its padded image."""
    size = crops.shape[-1]
    view = np.lib.stride_tricks.sliding_window_view(padded, (size, size), axis=(2, 3))
    return (view == crops[:, :, None, None]).all(axis=(1, 4, 5))


def pad(batch, padding, mode):
    width = ((0, 0), (0, 0), (padding, padding), (padding, padding))
    return np.pad(batch, width, mode="reflect" if mode == "reflect" else "constant")


def crop_verify(theirs, ours):
    problem = same_inputs(theirs, ours, ("batch", "every", "wide"))
    if problem:
        return problem
    for k, (shape, size, padding, mode) in enumerate(CROPS):
        crops = theirs[f"crops{k}"]
        if crops.shape != (shape[0], shape[1], size, size) or crops.dtype != ours[f"batch{k}"].dtype:
            return f"crops of shape {crops.shape} {crops.dtype} for images {shape}, size {size}"
        found = windows(crops, pad(ours[f"batch{k}"], padding, mode))
        if not found.reshape(shape[0], -1).any(axis=1).all():
            return f"crops that are not windows of the {mode}-padded image"
        if len({tuple(np.argwhere(m)[0]) for m in found}) < 5:
            return "the crop offsets do not vary from image to image"
        if not np.array_equal(theirs[f"after{k}"], ours[f"batch{k}"]):
            return "the input images were changed"
    crops = theirs["crops_every"]
    if crops.shape != (600, 1, 4, 4):
        return "wrong shape of 4x4 crops"
    counts = windows(crops, ours["every"]).sum(axis=0)
    if not (counts > 0).all() or counts.max() >= 100:
        return f"offsets are not uniform over every position: counts {counts.tolist()}"
    if not generator_decides(theirs):
        return "the generator does not decide the crops"
    wide = theirs["crops_wide"]
    if (
        wide.shape != (24, 2, 12, 12)
        or not windows(wide, pad(ours["wide"], 2, "reflect")).reshape(24, -1).any(1).all()
    ):
        return "crops of a non-square image"
    if not theirs["raises"].all():
        return "no ValueError for bad input"
    return None


# --- crop_boxes ---------------------------------------------------------------------------------


def crop_boxes_values(ns, g):
    """Deterministic: kept boxes and labels compared with the reference's value by value."""
    f, out = ns["crop_boxes"], {}
    cases = []
    sizes = [(20, 40, 50, torch.float32, 1.0), (50, 64, 64, torch.float64, 2.0),
             (8, 30, 20, torch.float32, 4.0), (40, 100, 80, torch.float32, 1.5)]
    for n, height, width, dtype, min_size in sizes:
        corners = torch.rand(n, 2, generator=g) * torch.tensor([width, height])
        extents = torch.rand(n, 2, generator=g) * torch.tensor([width, height]) / 3 + 0.25
        boxes = torch.cat([corners, corners + extents], dim=1).to(dtype)
        for _ in range(4):
            crop_h = int(torch.randint(4, height + 1, (), generator=g))
            crop_w = int(torch.randint(4, width + 1, (), generator=g))
            top = int(torch.randint(-3, height - crop_h + 4, (), generator=g))
            left = int(torch.randint(-3, width - crop_w + 4, (), generator=g))
            labels = torch.randint(0, 20, (n,), generator=g)
            cases.append((boxes, labels, top, left, crop_h, crop_w, min_size))
    ints = torch.randint(0, 30, (25, 2), generator=g)
    ints = torch.cat([ints, ints + torch.randint(0, 12, (25, 2), generator=g)], dim=1)
    cases += [(ints, torch.arange(25) % 3, 6, 3, 17, 21, 2.0),
              (ints.to(torch.int32), torch.arange(25, dtype=torch.float32), 0, 0, 40, 40, 1.0)]
    edges = torch.tensor([[0.0, 0, 5, 5], [5, 5, 9, 7], [20, 3, 23, 6], [7, 19, 8.5, 22], [9, 18, 12, 22.5],
                          [4, 8, 25, 21]])
    placements = [(5, 5, 1.0), (5, 5, 2.0), (5, 5, 3.0), (8, 4, 3.5), (0, 0, 4.0), (30, 30, 1.0)]
    for top, left, min_size in placements:
        for boxes in (edges, edges.double()):
            cases.append((boxes, torch.arange(6), top, left, 15, 15, min_size))
    cases.append((edges, torch.arange(6), 40, 40, 10, 10, 1.0))
    unchanged = []
    for k, (boxes, labels, top, left, height, width, min_size) in enumerate(cases):
        before, labels_before = boxes.clone(), labels.clone()
        out[f"boxes{k}"], out[f"labels{k}"] = f(boxes, labels, top, left, height, width, min_size=min_size)
        unchanged.append(torch.equal(before, boxes) and torch.equal(labels_before, labels))
    out["unchanged"] = unchanged
    out["raises"] = [raises(f, torch.zeros(3, 5), torch.zeros(3), 0, 0, 8, 8),
                     raises(f, torch.zeros(2, 4), torch.zeros(2, 1), 0, 0, 8, 8),
                     raises(f, torch.zeros(2, 4), [1, 2], 0, 0, 8, 8)]
    return out


# --- cutout -------------------------------------------------------------------------------------

CUTOUTS = [((200, 3, 8, 8), 4, "float32"), ((200, 2, 7, 11), 3, "float64"), ((100, 1, 9, 9), 5, "float32")]


def cutout_values(ns, g):
    f, out = ns["cutout"], {}
    for k, (shape, size, dtype) in enumerate(CUTOUTS):
        batch = (torch.rand(*shape, generator=g) * 0.9 + 0.1).to(getattr(torch, dtype))
        out[f"batch{k}"] = batch.clone()
        out[f"out{k}"] = f(batch, size, generator=torch.Generator().manual_seed(1))
        out[f"after{k}"] = batch
    batch = torch.rand(3000, 1, 5, 5, generator=g) + 0.1
    out["every"], out["out_every"] = batch, f(batch, 3, generator=torch.Generator().manual_seed(2))
    batch = torch.rand(32, 3, 12, 12, generator=g) + 0.1
    out["repeat_a"] = f(batch, 4, generator=torch.Generator().manual_seed(9))
    torch.rand(3)
    out["repeat_b"] = f(batch, 4, generator=torch.Generator().manual_seed(9))
    out["other"] = f(batch, 4, generator=torch.Generator().manual_seed(10))
    out["raises"] = [raises(f, torch.rand(3, 8, 8), 2), raises(f, torch.rand(2, 1, 8, 8), 0)]
    return out


def centred_squares(height, width, size):
    """[H * W centres, H, W] bool: the clipped size x size square of each centre."""
    cy, cx = np.meshgrid(np.arange(height), np.arange(width), indexing="ij")
    top, left = cy.ravel() - size // 2, cx.ravel() - size // 2
    rows = (np.arange(height) >= top[:, None]) & (np.arange(height) < top[:, None] + size)
    cols = (np.arange(width) >= left[:, None]) & (np.arange(width) < left[:, None] + size)
    return rows[:, :, None] & cols[:, None, :]


def cutout_centres(out, batch, size):
    """[B, H * W] bool of matching centres, or a reason."""
    if out.shape != batch.shape or out.dtype != batch.dtype:
        return f"output {out.shape} {out.dtype} for input {batch.shape} {batch.dtype}"
    erased = out == 0
    if not (erased == erased[:, :1]).all():
        return "different pixels zeroed in different channels"
    if not np.array_equal(out[~erased], batch[~erased]):
        return "pixels outside the square changed"
    squares = centred_squares(out.shape[2], out.shape[3], size)
    return (erased[:, 0, None] == squares[None]).reshape(out.shape[0], squares.shape[0], -1).all(axis=2)


def cutout_verify(theirs, ours):
    problem = same_inputs(theirs, ours, ("batch", "every"))
    if problem:
        return problem
    for k, (_shape, size, _dtype) in enumerate(CUTOUTS):
        matches = cutout_centres(theirs[f"out{k}"], ours[f"batch{k}"], size)
        if isinstance(matches, str):
            return matches
        if not matches.any(axis=1).all():
            return f"zeroed pixels that are not a {size}x{size} square centred on a pixel (clipped)"
        areas = (theirs[f"out{k}"] == 0)[:, 0].reshape(len(matches), -1).sum(axis=1)
        if not (areas == size * size).any() or not (areas < size * size).any():
            return "no full or no clipped square: centres must be drawn over the whole image"
        if len({int(np.argwhere(m)[0][0]) for m in matches}) <= 10:
            return "the centres do not vary from image to image"
        if not np.array_equal(theirs[f"after{k}"], ours[f"batch{k}"]):
            return "the input images were changed"
    matches = cutout_centres(theirs["out_every"], ours["every"], 3)
    if isinstance(matches, str) or not matches.any(axis=0).all():
        return "not every pixel is drawn as a centre"
    if not generator_decides(theirs):
        return "the generator does not decide the squares"
    if not theirs["raises"].all():
        return "no ValueError for bad input"
    return None


# --- make_train_transform / make_eval_transform -------------------------------------------------


def transform_values(ns, g):
    train, evaluate = ns["make_train_transform"](), ns["make_eval_transform"]()
    mean, std = float(ns["DIGIT_MEAN"]), float(ns["DIGIT_STD"])
    out = {"mean_std": [mean, std]}
    for size in (16, 32):
        digit = torch.rand(1, size, size, generator=g)
        out[f"digit{size}"] = digit
        out[f"eval{size}"], out[f"eval_again{size}"] = evaluate(digit), evaluate(digit)
        out[f"train_shape{size}"] = train(digit).shape
        blank = torch.zeros(1, size, size)
        out[f"blank_eval{size}"] = evaluate(blank)
        out[f"blank_train{size}"] = torch.stack([train(blank) for _ in range(5)])
    blob = torch.zeros(1, 16, 16)
    blob[0, 4:12, 6:10] = torch.rand(8, 4, generator=g) * 0.5 + 0.5
    out["blob"], out["eval_blob"] = blob, evaluate(blob)
    out["train_blob"] = torch.stack([train(blob) for _ in range(20)])
    stroke = torch.zeros(1, 16, 16)
    stroke[0, 2:7, 2:4] = 1.0
    stroke[0, 2:4, 4:7] = 1.0
    out["stroke_train"] = torch.stack([train(stroke) for _ in range(100)])
    return out


def transform_verify(theirs, ours):
    problem = same_inputs(theirs, ours, ("digit", "blob", "mean_std"))
    if problem:
        return problem
    mean, std = ours["mean_std"]
    for size in (16, 32):
        expected = (ours[f"digit{size}"] - mean) / std
        if not close(theirs[f"eval{size}"], expected) or not close(theirs[f"eval_again{size}"], expected):
            return f"the evaluation transform of a [1, {size}, {size}] digit"
        if tuple(theirs[f"train_shape{size}"]) != (1, size, size):
            return "the training transform changes the shape"
        if not close(
            theirs[f"blank_train{size}"],
            np.broadcast_to(theirs[f"blank_eval{size}"], (5, 1, size, size)),
            atol=1e-4,
        ) or not close(theirs[f"blank_eval{size}"], np.full((1, size, size), -mean / std)):
            return "a blank digit must stay blank (same normalisation in both transforms)"
    outputs = theirs["train_blob"]
    if outputs.shape != (20, 1, 16, 16):
        return "training transform outputs of the wrong shape"
    if len({tuple(np.round(o.ravel(), 3)) for o in outputs}) < 3 or all(
        np.allclose(o, theirs["eval_blob"], atol=1e-3) for o in outputs
    ):
        return "the training transform is not random"
    rows, cols = np.meshgrid(np.arange(16.0), np.arange(16.0), indexing="ij")
    for o in theirs["stroke_train"]:
        ink = np.clip(o[0] * std + mean, 0, None)
        if ink.sum() < 0.3 * 16:
            continue
        if (ink * rows).sum() / ink.sum() >= 7.5 or (ink * cols).sum() / ink.sum() >= 7.5:
            return (
                "the training transform moves a top-left stroke out of its quadrant (flip or large rotation)"
            )
    return None


PROBES = [
    Probe("hflip_boxes", hflip_boxes_values, {}),
    Probe("random_horizontal_flip", flip_values, {"verify": flip_verify}),
    Probe("random_crop", crop_values, {"verify": crop_verify}),
    Probe("crop_boxes", crop_boxes_values, {}),
    Probe("cutout", cutout_values, {"verify": cutout_verify}),
    # (this exercise composes torchvision's transforms: no built-in is forbidden in it)
    Probe("make_train_transform", transform_values, {"verify": transform_verify, "topic": None}),
]
