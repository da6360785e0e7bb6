"""Micro-benchmarks: reference solutions against library or plain-loop baselines, in one process.

Each returns result rows (bench.measure.row). Ratios are throughput ratios (> 1: the first named
is faster), computed from the medians of interleaved repeats.
"""

import torch
import torch.nn.functional as F
import torchvision
from torchvision.transforms import v2

from bench.defs import load_definitions
from bench.measure import interleaved, median, paired_ratio, row, torch_threads

# ---------------------------------------------------------------- ResNet-18


def bench_resnet(batch=64, size=32, repeats=15, warmup=2, threads=1):
    """Course ResNet18 (02_resnet18 solution) vs torchvision.models.resnet18: forward+backward.

    Same weights, same input [batch, 3, size, size], same loss; train mode. Target: >= 0.95.
    The ratio is the median of per-round ratios (torchvision seconds / course seconds). One torch
    thread by default: on a shared machine two threads wait for each other and one step's time
    varied 0.13-4.7 s (measured); `threads=None` keeps torch's default.
    """
    with torch_threads(threads):
        return _bench_resnet(batch, size, repeats, warmup)


def _bench_resnet(batch, size, repeats, warmup):
    course_class = load_definitions("02_resnet18", ["ResNet18"])["ResNet18"]
    torch.manual_seed(0)
    theirs = torchvision.models.resnet18(weights=None, num_classes=10)
    ours = course_class(num_classes=10)
    ours.load_state_dict(theirs.state_dict())  # the exercise matches torchvision's names exactly
    x = torch.randn(batch, 3, size, size)
    y = torch.randint(0, 10, (batch,))
    with torch.no_grad():
        torch.testing.assert_close(ours.eval()(x), theirs.eval()(x))  # the same function
    ours.train()
    theirs.train()

    def step(model):
        model.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()

    seconds = interleaved({"torchvision": lambda: step(theirs), "course": lambda: step(ours)},
                          repeats=repeats, warmup=warmup)
    tv, course = median(seconds["torchvision"]), median(seconds["course"])
    details = {"batch": batch, "size": size, "repeats": repeats, "threads": torch.get_num_threads(),
               "seconds": seconds, "images_per_s": {"torchvision": batch / tv, "course": batch / course},
               "ratio_of_medians": tv / course}
    return [row("resnet", "ResNet18 (02 solution) / torchvision resnet18, fwd+bwd throughput",
                paired_ratio(seconds, "torchvision", "course"), "x", target=0.95,
                note=f"{batch / course:.0f} vs {batch / tv:.0f} im/s, batch {batch} at {size}x{size}",
                details=details)]


# ---------------------------------------------------------------- YOLO targets


def random_boxes(images=64, max_boxes=20, C=20, seed=0):
    """`images` lists of 0..max_boxes random boxes: (boxes [K, 4] normalized cxcywh, labels [K])."""
    generator = torch.Generator().manual_seed(seed)
    boxes, labels = [], []
    for _ in range(images):
        count = int(torch.randint(0, max_boxes + 1, (1,), generator=generator))
        centres = torch.rand(count, 2, generator=generator)
        sizes = 0.05 + 0.95 * torch.rand(count, 2, generator=generator)
        boxes.append(torch.cat([centres, sizes], dim=1))
        labels.append(torch.randint(0, C, (count,), generator=generator))
    return boxes, labels


def build_targets_loop(boxes_list, labels_list, S=7, C=20):
    """The baseline: a plain per-box Python loop writing [N, S, S, 5 + C] YOLOv1 targets.

    Same rule as 05_yolo's encode_targets: the cell (i, j) holding a box centre gets
    [x, y, w, h, 1, one-hot], x and y relative to the cell; the first box listed wins a cell.
    """
    target = torch.zeros(len(boxes_list), S, S, 5 + C)
    for n, (boxes, labels) in enumerate(zip(boxes_list, labels_list, strict=True)):
        for box, label in zip(boxes, labels, strict=True):
            cx, cy, w, h = box  # 0-d float32 tensors: the same arithmetic as the reference
            i, j = min(int(cy * S), S - 1), min(int(cx * S), S - 1)
            if target[n, i, j, 4] == 1:
                continue
            target[n, i, j, 0] = cx * S - j
            target[n, i, j, 1] = cy * S - i
            target[n, i, j, 2] = w
            target[n, i, j, 3] = h
            target[n, i, j, 4] = 1
            target[n, i, j, 5 + int(label)] = 1
    return target


def bench_yolo(images=64, max_boxes=20, repeats=5, warmup=1, threads=1):
    """05_yolo's reference build_targets vs a plain per-box Python loop. Target: >= 20x faster.

    One torch thread by default: on a busy 2-core machine, waking a second thread costs far more
    than work on tensors this small.
    """
    with torch_threads(threads):
        return _bench_yolo(images, max_boxes, repeats, warmup)


def _bench_yolo(images, max_boxes, repeats, warmup):
    build_targets = load_definitions("05_yolo", ["build_targets"])["build_targets"]
    boxes, labels = random_boxes(images, max_boxes)
    reference = build_targets(boxes, labels, S=7, C=20)
    torch.testing.assert_close(build_targets_loop(boxes, labels), reference)  # same targets
    seconds = interleaved({"loop": lambda: build_targets_loop(boxes, labels),
                           "reference": lambda: build_targets(boxes, labels)},
                          repeats=repeats, warmup=warmup)
    loop, ref = (median(seconds[k]) for k in ("loop", "reference"))
    total = sum(int(b.shape[0]) for b in boxes)
    details = {"images": images, "max_boxes": max_boxes, "boxes": total, "repeats": repeats,
               "threads": torch.get_num_threads(), "seconds": seconds}
    return [row("yolo", "build_targets (05 solution) / per-box Python loop, speed-up",
                paired_ratio(seconds, "loop", "reference"), "x", target=20.0,
                note=f"{images} images, {total} boxes: {ref * 1e3:.1f} ms vs {loop * 1e3:.1f} ms",
                details=details)]


# ---------------------------------------------------------------- augmentation


def bench_augment(batch=256, size=32, erase=8, repeats=5, warmup=1, threads=1):
    """03_augmentation's batched flip + crop + cutout vs the same per sample with transforms.v2.

    v2 pipeline per image: RandomHorizontalFlip, RandomCrop(size, padding=4, reflect),
    RandomErasing of an erase x erase square (v2's nearest equivalent of cutout: its square always
    lies inside the image, the exercise's may be clipped by the border). Informational: images/s.
    One torch thread by default, as notebook 03 does.
    """
    with torch_threads(threads):
        return _bench_augment(batch, size, erase, repeats, warmup)


def _bench_augment(batch, size, erase, repeats, warmup):
    parts = load_definitions("03_augmentation", ["random_horizontal_flip", "random_crop", "cutout"])
    flip, crop, cutout = parts["random_horizontal_flip"], parts["random_crop"], parts["cutout"]
    generator = torch.Generator().manual_seed(0)
    images = torch.rand(batch, 3, size, size, generator=generator)
    area = erase * erase / (size * size)
    per_sample = v2.Compose([v2.RandomHorizontalFlip(),
                             v2.RandomCrop(size, padding=4, padding_mode="reflect"),
                             v2.RandomErasing(p=1.0, scale=(area, area), ratio=(1.0, 1.0), value=0)])

    def batched():
        out, _ = flip(images, generator=generator)
        return cutout(crop(out, size, padding=4, generator=generator), erase, generator=generator)

    def one_by_one():
        return torch.stack([per_sample(image) for image in images])

    assert batched().shape == one_by_one().shape == images.shape
    seconds = interleaved({"v2_per_sample": one_by_one, "batched": batched}, repeats=repeats, warmup=warmup)
    slow, fast = median(seconds["v2_per_sample"]), median(seconds["batched"])
    details = {"batch": batch, "size": size, "erase": erase, "repeats": repeats, "seconds": seconds,
               "threads": torch.get_num_threads(),
               "images_per_s": {"v2_per_sample": batch / slow, "batched": batch / fast}}
    return [row("augment", "batched flip+crop+cutout (03 solutions) / per-sample v2, im/s",
                paired_ratio(seconds, "v2_per_sample", "batched"), "x",
                note=f"{batch / fast:,.0f} vs {batch / slow:,.0f} im/s, {batch}x3x{size}x{size}; "
                     "information only, no target", details=details)]
