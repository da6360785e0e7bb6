"""A synthetic detection set (handwritten digits pasted on a blank canvas) and AP at an IoU threshold.

`make_digit_canvases` pastes real handwritten digits from `sklearn.datasets.load_digits` (through
`utils.data.load_digit_tensors`) at random sizes and positions on black square canvases, and
returns every digit's box and class. Boxes come in two conventions, both float32:

* `boxes`: normalized (cx, cy, w, h): the box centre and size divided by the canvas size, so every
  value lies in [0, 1] (w, h in (0, 1]); this is what YOLO targets are built from.
* `boxes_xyxy`: pixel (x1, y1, x2, y2) with x1 < x2, y1 < y2: the left, top, right and bottom
  *edges* of the box, in pixels from the canvas's top-left corner (a box covering pixel columns
  3..5 has x1 = 3, x2 = 6); this is what `utils.plot.show_boxes` draws.

A box is the tight box around a digit's ink (pixels brighter than `ink_threshold` after resizing),
not the square patch it was pasted in. `average_precision` scores detections against such boxes
(the PASCAL VOC all-point average precision). Nothing here touches the network.
"""

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F

from utils.data import NUM_DIGIT_CLASSES, load_digit_tensors, split_digits

POOLS = ("train", "test", "all")


def _box_iou(boxes1, boxes2):
    """torchvision.ops.box_iou, imported on first use (torchvision adds seconds to `import`)."""
    from torchvision.ops import box_iou

    return box_iou(boxes1, boxes2)


@dataclass
class DigitCanvases:
    """Canvases with boxes. N images of size H = W = canvas_size; K_n digits on image n.

    images:     [N, 1, H, W] float32 in [0, 1] (ink is bright, background 0).
    boxes:      list of N tensors [K_n, 4] float32, normalized (cx, cy, w, h).
    boxes_xyxy: list of N tensors [K_n, 4] float32, pixel (x1, y1, x2, y2) edges.
    labels:     list of N tensors [K_n] int64, the digit classes 0..9.
    """

    images: torch.Tensor
    boxes: list
    boxes_xyxy: list
    labels: list

    def __len__(self):
        return self.images.shape[0]


def _check_int(name, value, low, high=None):
    bad_type = not isinstance(value, int) or isinstance(value, bool)
    if bad_type or value < low or (high is not None and value > high):
        bound = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{name} must be an int {bound}, got {value!r}")


def make_digit_canvases(num_images, canvas_size=64, min_digits=1, max_digits=3, digit_sizes=(16, 28),
                        pool="all", seed=0, ink_threshold=0.25, max_tries=50):
    """Generate `num_images` canvases, each with `min_digits`..`max_digits` handwritten digits.

    Returns a `DigitCanvases` (see its docstring for shapes and box conventions).

    Each digit is one of the 1,797 scikit-learn digits (8x8), resized with bilinear interpolation
    to a random side in [digit_sizes[0], digit_sizes[1]] pixels and pasted (pixel-wise maximum)
    at a random position inside the canvas. Digits are placed so that their square patches do not
    overlap; a digit that finds no free place in `max_tries` random positions is left out, so an
    image may hold fewer than `min_digits` digits only on a crowded canvas (never fewer than one).
    `pool` chooses which digits may appear: "train" or "test" (the two sides of
    `utils.data.split_digits(test_fraction=0.25, seed=0)`, disjoint sets of digit images, so
    canvases for evaluation can use digits the detector never saw) or "all".
    The same arguments always give the same canvases: all randomness comes from one
    `numpy.random.Generator` seeded with `seed` (other seeds give other canvases).
    """
    _check_int("num_images", num_images, 1)
    _check_int("canvas_size", canvas_size, 8)
    _check_int("min_digits", min_digits, 1)
    _check_int("max_digits", max_digits, min_digits)
    _check_int("seed", seed, 0)
    _check_int("max_tries", max_tries, 1)
    if (not isinstance(digit_sizes, (tuple, list)) or len(digit_sizes) != 2
            or not all(isinstance(s, int) and not isinstance(s, bool) for s in digit_sizes)
            or not 4 <= digit_sizes[0] <= digit_sizes[1] <= canvas_size):
        raise ValueError(f"digit_sizes must be two ints (smallest, largest side in pixels) with "
                         f"4 <= smallest <= largest <= canvas_size={canvas_size}, got {digit_sizes!r}")
    if pool not in POOLS:
        raise ValueError(f"pool must be one of {POOLS}, got {pool!r}")
    if (not isinstance(ink_threshold, (int, float)) or isinstance(ink_threshold, bool)
            or not 0 <= ink_threshold < 1):
        raise ValueError(f"ink_threshold must be a number in [0, 1), got {ink_threshold!r}")

    digits, digit_labels = load_digit_tensors(size=8)
    if pool != "all":
        train_x, train_y, test_x, test_y = split_digits(digits, digit_labels, test_fraction=0.25, seed=0)
        digits, digit_labels = (train_x, train_y) if pool == "train" else (test_x, test_y)

    rng = np.random.default_rng(seed)
    resized = {}  # side -> (patches [D, side, side], ink boxes [D, 4] as (top, left, bottom, right))

    def digit(index, side):
        if side not in resized:
            patches = F.interpolate(digits, size=(side, side), mode="bilinear",
                                    align_corners=False)[:, 0].clamp(0, 1).numpy()
            ink = patches > ink_threshold
            rows, cols = ink.any(axis=2), ink.any(axis=1)
            bounds = np.stack([rows.argmax(1), cols.argmax(1), side - rows[:, ::-1].argmax(1),
                               side - cols[:, ::-1].argmax(1)], axis=1)
            resized[side] = (patches, bounds, ink.any(axis=(1, 2)))
        patches, bounds, has_ink = resized[side]
        return patches[index], bounds[index], has_ink[index]

    images = np.zeros((num_images, canvas_size, canvas_size), dtype=np.float32)
    all_boxes, all_xyxy, all_labels = [], [], []
    for n in range(num_images):
        count = int(rng.integers(min_digits, max_digits + 1))
        placed, xyxy, labels = [], [], []
        while len(labels) < count:
            index = int(rng.integers(0, digits.shape[0]))
            side = int(rng.integers(digit_sizes[0], digit_sizes[1] + 1))
            patch, (top_ink, left_ink, bottom_ink, right_ink), has_ink = digit(index, side)
            if not has_ink:  # a blank digit cannot make a box: draw another one
                continue
            for _ in range(max_tries):
                top, left = (int(v) for v in rng.integers(0, canvas_size - side + 1, size=2))
                if all(left >= l2 + s2 or l2 >= left + side or top >= t2 + s2 or t2 >= top + side
                       for t2, l2, s2 in placed):
                    break
            else:
                if labels:  # crowded: keep what fits
                    break
                continue
            region = images[n, top:top + side, left:left + side]
            np.maximum(region, patch, out=region)
            placed.append((top, left, side))
            xyxy.append([left + left_ink, top + top_ink, left + right_ink, top + bottom_ink])
            labels.append(int(digit_labels[index]))
        pixel = torch.tensor(xyxy, dtype=torch.float32)
        normalized = torch.stack([(pixel[:, 0] + pixel[:, 2]) / 2, (pixel[:, 1] + pixel[:, 3]) / 2,
                                  pixel[:, 2] - pixel[:, 0], pixel[:, 3] - pixel[:, 1]], dim=1) / canvas_size
        all_boxes.append(normalized)
        all_xyxy.append(pixel)
        all_labels.append(torch.tensor(labels, dtype=torch.int64))
    images = torch.from_numpy(images).unsqueeze(1)
    return DigitCanvases(images, all_boxes, all_xyxy, all_labels)


def _check_boxes(name, boxes):
    if not isinstance(boxes, torch.Tensor) or boxes.dim() != 2 or boxes.shape[1] != 4:
        got = tuple(boxes.shape) if isinstance(boxes, torch.Tensor) else type(boxes).__name__
        raise ValueError(f"{name} must be a tensor [K, 4] of xyxy boxes, got {got}")


def _check_vector(name, values, length, of):
    if not isinstance(values, torch.Tensor) or values.dim() != 1 or values.shape[0] != length:
        got = tuple(values.shape) if isinstance(values, torch.Tensor) else type(values).__name__
        raise ValueError(f"{name} must be a tensor [{length}] (one per box of {of}), got {got}")


def average_precision(predictions, targets, num_classes=NUM_DIGIT_CLASSES, iou_threshold=0.5):
    """Average precision per class at one IoU threshold (PASCAL VOC 2010+ all-point AP).

    predictions: list of N dicts (one per image) {"boxes": [P, 4] xyxy, "scores": [P], "labels": [P]}.
    targets:     list of N dicts {"boxes": [T, 4] xyxy, "labels": [T]} (the ground truth).
    Boxes of predictions and targets must use the same xyxy convention (pixels or normalized).
    Returns a dict:
      "ap":        tensor [num_classes] float64, NaN for a class with no ground-truth box;
      "map":       float, the mean of "ap" over the classes that have ground truth (NaN if none);
      "curves":    {class: (recall [P_c], precision [P_c])} float64 tensors, one point per
                   detection of that class in descending score order (for a precision-recall plot);
      "num_gt":    tensor [num_classes] int64, ground-truth boxes per class.

    For each class, detections of all images are sorted by descending score (ties keep image
    order, then list order); each one is compared with the ground-truth box of that class in its
    image with which it has the highest IoU, and counts as a true positive when that IoU is
    >= iou_threshold and the box is not matched yet (it then becomes matched), else as a false
    positive: a second detection of an already matched box is a duplicate even when it also
    overlaps another, unmatched box (PASCAL VOC's matching; COCO's would try that other box). AP is the
    area under the precision-recall curve after replacing each precision by the highest precision
    at any larger or equal recall.
    """
    if not isinstance(predictions, (list, tuple)) or not isinstance(targets, (list, tuple)):
        raise ValueError("predictions and targets must be lists of dicts, one per image")
    if len(predictions) != len(targets):
        raise ValueError(f"predictions and targets must have one entry per image, got {len(predictions)} "
                         f"predictions and {len(targets)} targets")
    _check_int("num_classes", num_classes, 1)
    if not isinstance(iou_threshold, (int, float)) or not 0 < iou_threshold <= 1:
        raise ValueError(f"iou_threshold must be in (0, 1], got {iou_threshold!r}")
    for k, (pred, target) in enumerate(zip(predictions, targets, strict=True)):
        for d, keys, what in ((pred, ("boxes", "scores", "labels"), "prediction"),
                              (target, ("boxes", "labels"), "target")):
            if not isinstance(d, dict) or any(key not in d for key in keys):
                raise ValueError(f"{what} {k} must be a dict with keys {keys}")
        _check_boxes(f"predictions[{k}]['boxes']", pred["boxes"])
        _check_boxes(f"targets[{k}]['boxes']", target["boxes"])
        _check_vector(f"predictions[{k}]['scores']", pred["scores"], pred["boxes"].shape[0], "predictions")
        _check_vector(f"predictions[{k}]['labels']", pred["labels"], pred["boxes"].shape[0], "predictions")
        _check_vector(f"targets[{k}]['labels']", target["labels"], target["boxes"].shape[0], "targets")
        for name, labels in ((f"predictions[{k}]['labels']", pred["labels"]),
                             (f"targets[{k}]['labels']", target["labels"])):
            if labels.numel() and (labels.min() < 0 or labels.max() >= num_classes):
                raise ValueError(f"{name} must hold class indices in [0, {num_classes}), got "
                                 f"{labels.min().item()}..{labels.max().item()}")

    ap = torch.full((num_classes,), float("nan"), dtype=torch.float64)
    num_gt = torch.zeros(num_classes, dtype=torch.int64)
    curves = {}
    for c in range(num_classes):
        gt = [t["boxes"][t["labels"] == c].detach().double().cpu() for t in targets]
        num_gt[c] = sum(g.shape[0] for g in gt)
        detections = []  # (score, image, box)
        for k, pred in enumerate(predictions):
            keep = pred["labels"] == c
            for score, box in zip(pred["scores"][keep].tolist(), pred["boxes"][keep].detach().double().cpu(),
                                  strict=True):
                detections.append((score, k, box))
        detections.sort(key=lambda d: -d[0])  # stable: ties keep image order, then list order
        matched = [torch.zeros(g.shape[0], dtype=torch.bool) for g in gt]
        hits = []
        for _, k, box in detections:
            hit = False
            if gt[k].shape[0]:
                overlaps = _box_iou(box[None], gt[k])[0]
                best = int(overlaps.argmax())   # over all boxes: a taken best box makes a duplicate
                if overlaps[best] >= iou_threshold and not matched[k][best]:
                    matched[k][best] = True
                    hit = True
            hits.append(hit)
        true_pos = torch.tensor(hits, dtype=torch.float64).cumsum(0)
        ranks = torch.arange(1, len(hits) + 1, dtype=torch.float64)
        if num_gt[c] == 0:
            curves[c] = (torch.zeros(len(hits), dtype=torch.float64), true_pos / ranks)
            continue
        recall, precision = true_pos / num_gt[c], true_pos / ranks
        curves[c] = (recall, precision)
        # all-point interpolation: envelope of precision from the right, integrated over recall
        envelope = torch.cat([precision, torch.zeros(1, dtype=torch.float64)])
        envelope = envelope.flip(0).cummax(0).values.flip(0)
        recall_steps = torch.cat([torch.zeros(1, dtype=torch.float64), recall])
        ap[c] = float(((recall_steps[1:] - recall_steps[:-1]) * envelope[:-1]).sum()) if len(hits) else 0.0
    present = ~torch.isnan(ap)
    mean_ap = float(ap[present].mean()) if bool(present.any()) else float("nan")
    return {"ap": ap, "map": mean_ap, "curves": curves, "num_gt": num_gt}
