"""Unit tests of utils/detection_data.py: digit canvases with boxes, and AP at an IoU threshold."""

import math

import pytest
import torch

from utils import data
from utils.detection_data import DigitCanvases, average_precision, make_digit_canvases


@pytest.fixture(scope="module")
def canvases():
    return make_digit_canvases(40, canvas_size=64, seed=3)


# ---------------------------------------------------------------- make_digit_canvases


def test_canvases_shapes_dtypes_and_ranges(canvases):
    assert isinstance(canvases, DigitCanvases) and len(canvases) == 40
    images = canvases.images
    assert type(images) is torch.Tensor and images.shape == (40, 1, 64, 64) and images.dtype == torch.float32
    assert images.min().item() == 0.0 and 0.9 < images.max().item() <= 1.0
    assert len(canvases.boxes) == len(canvases.boxes_xyxy) == len(canvases.labels) == 40
    for boxes, xyxy, labels in zip(canvases.boxes, canvases.boxes_xyxy, canvases.labels, strict=True):
        k = labels.shape[0]
        assert 1 <= k <= 3
        assert boxes.shape == (k, 4) and boxes.dtype == torch.float32
        assert xyxy.shape == (k, 4) and xyxy.dtype == torch.float32
        assert labels.dtype == torch.int64 and labels.min() >= 0 and labels.max() <= 9
        assert (boxes >= 0).all() and (boxes <= 1).all() and (boxes[:, 2:] > 0).all()
        assert (xyxy >= 0).all() and (xyxy <= 64).all()
        assert (xyxy[:, 2] > xyxy[:, 0]).all() and (xyxy[:, 3] > xyxy[:, 1]).all()
        assert torch.equal(xyxy, xyxy.round())  # pixel edges are whole numbers


def test_normalized_boxes_match_pixel_boxes(canvases):
    for boxes, xyxy in zip(canvases.boxes, canvases.boxes_xyxy, strict=True):
        cx, cy, w, h = boxes.unbind(1)
        rebuilt = torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=1) * 64
        assert torch.allclose(rebuilt, xyxy, atol=1e-4)


def test_boxes_are_tight_around_the_ink(canvases):
    for image, xyxy in zip(canvases.images, canvases.boxes_xyxy, strict=True):
        ink = image[0] > 0.25
        inside = torch.zeros_like(ink)
        for x1, y1, x2, y2 in xyxy.long().tolist():
            box = ink[y1:y2, x1:x2]
            # every edge row and column of the box holds ink
            assert box[0].any() and box[-1].any() and box[:, 0].any() and box[:, -1].any()
            inside[y1:y2, x1:x2] = True
        assert not (ink & ~inside).any(), "ink outside every box"


def test_same_seed_same_canvases_other_seed_other_canvases(canvases):
    again = make_digit_canvases(40, canvas_size=64, seed=3)
    assert torch.equal(again.images, canvases.images)
    assert all(torch.equal(a, b) for a, b in zip(again.boxes, canvases.boxes, strict=True))
    assert all(torch.equal(a, b) for a, b in zip(again.labels, canvases.labels, strict=True))
    other = make_digit_canvases(40, canvas_size=64, seed=4)
    assert not torch.equal(other.images, canvases.images)


def test_digit_count_and_size_options():
    single = make_digit_canvases(10, canvas_size=48, min_digits=1, max_digits=1, digit_sizes=(20, 20), seed=0)
    assert [labels.shape[0] for labels in single.labels] == [1] * 10
    assert all((xyxy[:, 2:] - xyxy[:, :2] <= 20).all() for xyxy in single.boxes_xyxy)
    many = make_digit_canvases(10, canvas_size=96, min_digits=4, max_digits=4, digit_sizes=(12, 16), seed=0)
    assert [labels.shape[0] for labels in many.labels] == [4] * 10


def test_crowded_canvas_keeps_what_fits():
    crowded = make_digit_canvases(5, canvas_size=20, min_digits=3, max_digits=3, digit_sizes=(16, 16), seed=1)
    assert [labels.shape[0] for labels in crowded.labels] == [1] * 5


@pytest.mark.parametrize("pool", ["train", "test"])
def test_pools_use_their_own_side_of_the_split(pool):
    digits, labels = data.load_digit_tensors(size=8)
    train_x, train_y, test_x, test_y = data.split_digits(digits, labels, test_fraction=0.25, seed=0)
    own, own_labels = (train_x, train_y) if pool == "train" else (test_x, test_y)
    canvases = make_digit_canvases(20, canvas_size=8, min_digits=1, max_digits=1, digit_sizes=(8, 8),
                                   pool=pool, seed=0)
    for image, label in zip(canvases.images, canvases.labels, strict=True):
        matches = (own[:, 0] - image[0]).abs().flatten(1).amax(1) < 1e-6
        assert matches.any(), f"a {pool} canvas holds a digit from outside the {pool} pool"
        assert label.item() in own_labels[matches].tolist()


@pytest.mark.parametrize("kwargs, message", [
    ({"num_images": 0}, "num_images must be an int >= 1"),
    ({"num_images": 2.0}, "num_images must be an int >= 1"),
    ({"canvas_size": 4}, "canvas_size must be an int >= 8"),
    ({"min_digits": 0}, "min_digits must be an int >= 1"),
    ({"min_digits": 3, "max_digits": 2}, "max_digits must be an int >= 3"),
    ({"digit_sizes": (30, 20)}, "digit_sizes must be two ints"),
    ({"digit_sizes": (16, 80)}, "digit_sizes must be two ints"),
    ({"digit_sizes": 16}, "digit_sizes must be two ints"),
    ({"pool": "val"}, "pool must be one of"),
    ({"seed": -1}, "seed must be an int >= 0"),
    ({"ink_threshold": 1.0}, r"ink_threshold must be a number in \[0, 1\)"),
    ({"max_tries": 0}, "max_tries must be an int >= 1"),
])
def test_canvases_reject_bad_arguments(kwargs, message):
    arguments = {"num_images": 2, "canvas_size": 64} | kwargs
    with pytest.raises(ValueError, match=message):
        make_digit_canvases(**arguments)


# ---------------------------------------------------------------- average_precision


def det(boxes, scores, labels):
    return {"boxes": torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
            "scores": torch.tensor(scores, dtype=torch.float32),
            "labels": torch.tensor(labels, dtype=torch.int64)}


def gt(boxes, labels):
    return {"boxes": torch.tensor(boxes, dtype=torch.float32).reshape(-1, 4),
            "labels": torch.tensor(labels, dtype=torch.int64)}


A, B, FAR = [0.0, 0.0, 10.0, 10.0], [20.0, 20.0, 30.0, 30.0], [50.0, 50.0, 60.0, 60.0]


def test_ap_perfect_detections_score_one():
    result = average_precision([det([A, B], [0.9, 0.8], [0, 0])], [gt([A, B], [0, 0])], num_classes=2)
    assert result["ap"].dtype == torch.float64 and result["ap"].shape == (2,)
    assert result["ap"][0].item() == pytest.approx(1.0)
    assert math.isnan(result["ap"][1].item())  # no ground truth of class 1
    assert result["map"] == pytest.approx(1.0)
    assert result["num_gt"].tolist() == [2, 0]


def test_ap_false_positive_ranked_first_halves_precision():
    # one ground-truth box; ranked detections: FP (0.9), TP (0.8): precision 1/2 at recall 1
    result = average_precision([det([FAR, A], [0.9, 0.8], [0, 0])], [gt([A], [0])], num_classes=1)
    assert result["ap"][0].item() == pytest.approx(0.5)
    recall, precision = result["curves"][0]
    assert recall.tolist() == pytest.approx([0.0, 1.0]) and precision.tolist() == pytest.approx([0.0, 0.5])


def test_ap_uses_the_interpolated_precision_envelope():
    # two ground-truth boxes; ranked TP, FP, TP: precision 1, 1/2, 2/3 at recall 1/2, 1/2, 1
    # envelope: 1 up to recall 1/2, then 2/3: AP = 0.5 * 1 + 0.5 * 2/3
    result = average_precision([det([A, FAR, B], [0.9, 0.8, 0.7], [0, 0, 0])], [gt([A, B], [0, 0])],
                               num_classes=1)
    assert result["ap"][0].item() == pytest.approx(0.5 + 0.5 * 2 / 3)


def test_ap_duplicate_detection_is_a_false_positive_and_misses_cost_recall():
    duplicate = average_precision([det([A, A], [0.9, 0.8], [0, 0])], [gt([A, B], [0, 0])], num_classes=1)
    assert duplicate["ap"][0].item() == pytest.approx(0.5)  # recall stops at 1/2
    assert duplicate["curves"][0][1].tolist() == pytest.approx([1.0, 0.5])


def test_ap_iou_threshold_is_inclusive_and_configurable():
    half = [0.0, 0.0, 20.0, 10.0]  # IoU with A is exactly 0.5
    result = average_precision([det([half], [0.9], [0])], [gt([A], [0])], num_classes=1)
    assert result["ap"][0].item() == pytest.approx(1.0)
    strict = average_precision([det([half], [0.9], [0])], [gt([A], [0])], num_classes=1, iou_threshold=0.75)
    assert strict["ap"][0].item() == pytest.approx(0.0)


def test_ap_classes_and_images_do_not_mix():
    predictions = [det([A], [0.9], [1]), det([A], [0.8], [0])]
    targets = [gt([A], [0]), gt([B], [0])]
    result = average_precision(predictions, targets, num_classes=2)
    assert result["ap"][0].item() == pytest.approx(0.0)  # right class in the wrong image, wrong class here
    assert math.isnan(result["ap"][1].item())
    assert result["map"] == pytest.approx(0.0)
    assert result["num_gt"].tolist() == [2, 0]


def test_ap_mean_over_classes_with_ground_truth():
    predictions = [det([A, B], [0.9, 0.8], [0, 1])]
    targets = [gt([A, B], [0, 2])]
    result = average_precision(predictions, targets, num_classes=3)
    assert result["ap"].tolist()[:1] == [1.0] and result["ap"][2].item() == 0.0
    assert math.isnan(result["ap"][1].item())
    assert result["map"] == pytest.approx(0.5)


def test_ap_matches_the_box_of_highest_iou():
    c = [4.0, 0.0, 14.0, 10.0]
    first = [3.0, 0.0, 13.0, 10.0]  # IoU 7/13 with A, 9/11 with c: it must take c
    # taking the first box above the threshold (A) would leave A's exact copy only c (IoU 6/14): AP 0.5
    result = average_precision([det([first, A], [0.9, 0.8], [0, 0])], [gt([A, c], [0, 0])], num_classes=1)
    assert result["ap"][0].item() == pytest.approx(1.0)


def test_ap_duplicate_of_a_matched_box_is_a_false_positive_voc_style():
    e = [2.0, 0.0, 12.0, 10.0]          # IoU 2/3 with A
    near_a = [0.5, 0.0, 10.5, 10.0]     # IoU 0.905 with A, 0.739 with e
    # VOC: near_a's best box A is taken by the exact detection, so near_a is a duplicate (COCO: AP 1)
    result = average_precision([det([A, near_a], [0.9, 0.8], [0, 0])], [gt([A, e], [0, 0])], num_classes=1)
    assert result["ap"][0].item() == pytest.approx(0.5)
    assert result["curves"][0][1].tolist() == pytest.approx([1.0, 0.5])


def test_ap_without_any_detection_is_zero_and_without_ground_truth_nan():
    result = average_precision([det([], [], [])], [gt([A], [0])], num_classes=1)
    assert result["ap"][0].item() == 0.0
    empty = average_precision([det([A], [0.5], [0])], [gt([], [])], num_classes=1)
    assert math.isnan(empty["ap"][0].item()) and math.isnan(empty["map"])


@pytest.mark.parametrize("predictions, targets, message", [
    ([det([A], [0.9], [0])], [], "one entry per image"),
    ("boxes", [gt([A], [0])], "lists of dicts"),
    ([{"boxes": torch.zeros(1, 4)}], [gt([A], [0])], "must be a dict with keys"),
    ([det([A], [0.9], [0])], [{"boxes": torch.zeros(1, 4)}], "must be a dict with keys"),
    ([{"boxes": torch.zeros(1, 5), "scores": torch.ones(1), "labels": torch.zeros(1, dtype=torch.long)}],
     [gt([A], [0])], r"must be a tensor \[K, 4\]"),
    ([{"boxes": torch.zeros(2, 4), "scores": torch.ones(1), "labels": torch.zeros(2, dtype=torch.long)}],
     [gt([A], [0])], r"scores'\] must be a tensor \[2\]"),
    ([det([A], [0.9], [3])], [gt([A], [0])], r"class indices in \[0, 2\)"),
    ([det([A], [0.9], [0])], [gt([A], [-1])], r"class indices in \[0, 2\)"),
])
def test_ap_rejects_bad_input(predictions, targets, message):
    with pytest.raises(ValueError, match=message):
        average_precision(predictions, targets, num_classes=2)


@pytest.mark.parametrize("kwargs, message", [({"num_classes": 0}, "num_classes"),
                                             ({"iou_threshold": 0.0}, "iou_threshold")])
def test_ap_rejects_bad_options(kwargs, message):
    with pytest.raises(ValueError, match=message):
        average_precision([det([A], [0.9], [0])], [gt([A], [0])], **kwargs)
