"""Reproduce the course's pretrained ResNet-18 checkpoint (utils/checkpoints/), offline, with a fixed seed.

Source task: 52 letter classes (A-Z, a-z) rendered from the TrueType fonts bundled with matplotlib,
with random affine jitter and stroke thickness, and, most of the time, degraded the way scikit-learn's
`load_digits` was made (a 32x32 bitmap counted in 4x4 blocks to 8x8, 17 grey levels), then resized to
the backbone's input size. The target task of notebook 04 is the real handwritten digits, which the
source task never shows.

    python -m tools.pretrain            # train into .cache/pretrain/, compare with the shipped checkpoint
    python -m tools.pretrain --record   # the same, then replace the shipped one (make pretrain RECORD=1)
    python -m tools.pretrain --task strokes --out /tmp/s  # another source task (each run logs its
                                        # transfer to the digits; utils/checkpoints/*_source_comparison.txt
                                        # records the runs that chose letters_8x8)
    python -m tools.pretrain --steps 20 --out /tmp/x  # a quick smoke run somewhere else

The checkpoint is `torchvision.models.resnet18(num_classes=52)` (standard ImageNet stem, which is
fast on CPU), stored in half precision; `utils.pretrained` verifies its SHA-256 when it loads it.
"""

import argparse
import json
import math
import platform
import sys
import time
from pathlib import Path

import matplotlib
import numpy as np
import torch
import torch.nn.functional as F
import torchvision
from matplotlib.ft2font import FT2Font

from utils.data import load_digit_tensors, split_digits
from utils.pretrained import (
    CHECKPOINT_NAME,
    CHECKPOINTS,
    FEATURE_DIM,
    INPUT_SIZE,
    MEAN,
    SOURCE_CLASSES,
    STD,
    file_sha256,
    load_pretrained_resnet18,
)

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".cache" / "pretrain"  # where a run writes unless --record

# The text fonts bundled with matplotlib that draw all 52 Latin letters as letters (cmex10, cmsy10,
# LastResort and the STIX symbol/size fonts map letters to symbols or boxes, the Display fonts are empty).
FONTS = (
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf",
    "DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSansMono-Oblique.ttf",
    "DejaVuSansMono-BoldOblique.ttf", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
    "DejaVuSerif-BoldItalic.ttf", "STIXGeneral.ttf", "STIXGeneralBol.ttf", "STIXGeneralItalic.ttf",
    "STIXGeneralBolIta.ttf", "cmr10.ttf", "cmb10.ttf", "cmti10.ttf", "cmmi10.ttf", "cmss10.ttf",
    "cmtt10.ttf",
)
CANVAS = 32  # the glyphs live on a 32x32 bitmap, like the scans behind load_digits

DEFAULTS = {"task": "letters_8x8", "seed": 0, "steps": 700, "batch_size": 128, "max_lr": 0.1,
            "weight_decay": 5e-4, "degrade_prob": 0.8}
SOURCE_TASKS = ("letters_8x8", "letters_clean", "strokes")


# ------------------------------------------------------------------------------------------ data


def render_glyphs(fonts=FONTS, characters=SOURCE_CLASSES, canvas=CANVAS):
    """Render each character in each font: `(glyphs [F*K, 1, canvas, canvas] in [0, 1], labels [F*K])`.

    Each glyph is cropped to its ink, scaled (aspect kept) so that its larger side is 7/8 of the
    canvas, and centred, as the digits of `load_digits` are size-normalized on their 32x32 bitmap.
    """
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    glyphs, labels = [], []
    box = canvas * 7 // 8
    for name in fonts:
        font = FT2Font(str(folder / name))
        for label, character in enumerate(characters):
            if font.get_char_index(ord(character)) == 0:
                raise ValueError(f"font {name} has no glyph for {character!r}")
            font.set_size(64, 72)
            font.set_text(character)
            font.draw_glyphs_to_bitmap(antialiased=True)
            ink = torch.tensor(np.asarray(font.get_image()), dtype=torch.float32) / 255.0
            rows, cols = torch.nonzero(ink > 0.1, as_tuple=True)
            ink = ink[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
            scale = box / max(ink.shape)
            height, width = (max(1, round(s * scale)) for s in ink.shape)
            small = F.interpolate(ink[None, None], size=(height, width), mode="area")[0, 0]
            image = torch.zeros(canvas, canvas)
            top, left = (canvas - height) // 2, (canvas - width) // 2
            image[top:top + height, left:left + width] = small
            glyphs.append(image)
            labels.append(label)
    return torch.stack(glyphs).unsqueeze(1).clamp_(0, 1), torch.tensor(labels)


def random_strokes(count, generator, canvas=CANVAS, num_classes=52):
    """An alternative source task: `count` images of 1-3 random line segments, labelled by a hash of
    their coarse layout. Returns `(images [count, 1, canvas, canvas], labels [count])`."""
    # Class c is drawn from its own fixed set of 3 segment endpoints (jittered below).
    anchors = torch.rand(num_classes, 3, 4, generator=torch.Generator().manual_seed(1234)) * 0.8 + 0.1
    labels = torch.randint(0, num_classes, (count,), generator=generator)
    ends = anchors[labels] + 0.06 * torch.randn(count, 3, 4, generator=generator)
    coords = (torch.arange(canvas) + 0.5) / canvas
    yy, xx = torch.meshgrid(coords, coords, indexing="ij")
    points = torch.stack([xx, yy], dim=-1).view(1, 1, canvas * canvas, 2)
    a, b = ends[..., None, :2], ends[..., None, 2:]
    t = (((points - a) * (b - a)).sum(-1) / ((b - a) ** 2).sum(-1).clamp_min(1e-6)).clamp(0, 1)
    distance = (points - (a + t[..., None] * (b - a))).norm(dim=-1).min(dim=1).values
    images = (distance < 0.06).float().view(count, 1, canvas, canvas)
    return images, labels


def jitter(images, generator, rotation=15.0, shear=0.3, scale=(0.75, 1.1), shift=0.1):
    """Random affine warp and stroke thickening of binary-ish images [B, 1, H, W]; returns the same shape."""
    count = images.shape[0]

    def uniform(low, high, *shape):
        return low + (high - low) * torch.rand(count, *shape, generator=generator)

    angle = uniform(-rotation, rotation) * math.pi / 180
    shear_x = uniform(-shear, shear)
    sx, sy = uniform(*scale), uniform(0.85, 1.1)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # inverse map used by grid_sample: output pixel -> input pixel
    theta = torch.zeros(count, 2, 3)
    theta[:, 0, 0], theta[:, 0, 1] = cos / sx, (sin + shear_x * cos) / sx
    theta[:, 1, 0], theta[:, 1, 1] = -sin / sy, (cos - shear_x * sin) / sy
    theta[:, :, 2] = uniform(-shift, shift, 2)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    warped = F.grid_sample(images, grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    # stroke thickness: keep, or thicken by 1 or 2 pixels (pen strokes of the digits are thick)
    choice = torch.multinomial(torch.tensor([0.3, 0.45, 0.25]), count, replacement=True,
                               generator=generator).view(count, 1, 1, 1)
    variants = torch.stack([warped, F.max_pool2d(warped, 3, 1, 1), F.max_pool2d(warped, 5, 1, 2)])
    thick = torch.gather(variants, 0, choice.unsqueeze(0).expand(1, *warped.shape))[0]
    return (thick > 0.5).float()


def degrade(bitmaps, generator, size=INPUT_SIZE, degrade_prob=0.8):
    """Bitmaps [B, 1, 32, 32] -> images [B, 1, size, size] in [0, 1].

    With probability `degrade_prob` an image is made the way `load_digits` was: counted in 4x4
    blocks (8x8, 17 grey levels), then resized to `size` bilinearly like `load_digit_tensors`; the
    others are area-resized straight to `size` (sharper).
    """
    coarse = (F.avg_pool2d(bitmaps, 4) * 16).round() / 16
    coarse = F.interpolate(coarse, size=(size, size), mode="bilinear", align_corners=False)
    sharp = F.interpolate(bitmaps, size=(size, size), mode="area")
    pick = torch.rand(bitmaps.shape[0], 1, 1, 1, generator=generator) < degrade_prob
    return torch.where(pick, coarse, sharp).clamp_(0, 1)


def to_input(images):
    """Grey images [B, 1, S, S] in [0, 1] -> normalized 3-channel input [B, 3, S, S]."""
    mean = torch.tensor(MEAN).view(1, 3, 1, 1)
    std = torch.tensor(STD).view(1, 3, 1, 1)
    return (images.expand(-1, 3, -1, -1) - mean) / std


class SourceTask:
    """Draws labelled batches of a source task: `batch(n)` -> (inputs [n, 3, S, S], labels [n])."""

    def __init__(self, name, generator, size=INPUT_SIZE, degrade_prob=DEFAULTS["degrade_prob"]):
        if name not in SOURCE_TASKS:
            raise ValueError(f"unknown source task {name!r}; choose from {SOURCE_TASKS}")
        self.name, self.generator, self.size = name, generator, size
        self.degrade_prob = 0.0 if name == "letters_clean" else degrade_prob
        if name != "strokes":
            self.glyphs, self.labels = render_glyphs()

    def batch(self, count):
        if self.name == "strokes":
            bitmaps, labels = random_strokes(count, self.generator)
            bitmaps = jitter(bitmaps, self.generator, rotation=5, shear=0.1, shift=0.05)
        else:
            index = torch.randint(0, len(self.labels), (count,), generator=self.generator)
            bitmaps, labels = jitter(self.glyphs[index], self.generator), self.labels[index]
        return to_input(degrade(bitmaps, self.generator, self.size, self.degrade_prob)), labels


# ------------------------------------------------------------------------------------ training


def pretrain(task=DEFAULTS["task"], seed=DEFAULTS["seed"], steps=DEFAULTS["steps"],
             batch_size=DEFAULTS["batch_size"], max_lr=DEFAULTS["max_lr"],
             weight_decay=DEFAULTS["weight_decay"], size=INPUT_SIZE, log=print):
    """Train resnet18(num_classes=52) on a source task; return `(model in eval mode, record dict)`."""
    torch.manual_seed(seed)
    data = SourceTask(task, torch.Generator().manual_seed(seed), size=size)
    model = torchvision.models.resnet18(num_classes=len(SOURCE_CLASSES))
    optimizer = torch.optim.SGD(model.parameters(), lr=max_lr, momentum=0.9, weight_decay=weight_decay,
                                nesterov=True)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=max_lr, total_steps=steps,
                                                   pct_start=0.25)
    start, cpu_start = time.time(), time.process_time()
    running, record = [], {"task": task, "curve": []}
    model.train()
    for step in range(1, steps + 1):
        inputs, labels = data.batch(batch_size)
        loss = F.cross_entropy(model(inputs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        schedule.step()
        running.append(loss.item())
        if step % max(1, steps // 10) == 0 or step == steps:
            line = (f"step {step:4d}/{steps}  loss {sum(running) / len(running):.3f}  "
                    f"elapsed {time.time() - start:6.1f} s  (CPU {time.process_time() - cpu_start:6.1f} s)")
            record["curve"].append(line)
            log(line)
            running = []
    record["train_seconds"] = time.time() - start
    model.eval()
    held_out = SourceTask(task, torch.Generator().manual_seed(seed + 10_000), size=size)
    correct = total = 0
    with torch.no_grad():
        for _ in range(8):
            inputs, labels = held_out.batch(256)
            correct += (model(inputs).argmax(1) == labels).sum().item()
            total += labels.numel()
    record["held_out_accuracy"] = correct / total
    log(f"held-out accuracy on {total} freshly drawn {task} images: {correct / total:.1%}")
    return model, record


def digit_features(model, size=INPUT_SIZE):
    """Features [1797, 512] (layer before fc, eval mode) of every digit, and the labels [1797]."""
    images, labels = load_digit_tensors(size)
    head, model.fc = model.fc, torch.nn.Identity()
    model.eval()
    with torch.no_grad():
        features = torch.cat([model(to_input(chunk)) for chunk in images.split(256)])
    model.fc = head
    return features, labels


def probe_errors(features, labels, ks=(1, 5, 25, None), seeds=(0, 1, 2)):
    """Linear-probe test error (%) on the digits for k examples per class (None: all).

    Protocol: a stratified 50% test split (seed 0); features standardized with the training
    subset's statistics; a logistic regression trained with full-batch L-BFGS; mean over seeds.
    """
    train_x, train_y, test_x, test_y = split_digits(features, labels, test_fraction=0.5, seed=0)
    errors = {}
    for k in ks:
        runs = []
        for seed in seeds if k is not None else seeds[:1]:
            g = torch.Generator().manual_seed(seed)
            if k is None:
                index = torch.arange(len(train_y))
            else:
                index = torch.cat([torch.nonzero(train_y == c).flatten()[
                    torch.randperm(int((train_y == c).sum()), generator=g)[:k]] for c in range(10)])
            x, y = train_x[index], train_y[index]
            mean, std = x.mean(0), x.std(0, unbiased=False) + 1e-3
            linear = fit_logistic_regression((x - mean) / std, y)
            with torch.no_grad():
                runs.append(100.0 * (linear((test_x - mean) / std).argmax(1) != test_y).float().mean().item())
        errors["all" if k is None else k] = sum(runs) / len(runs)
    return errors


def fit_logistic_regression(x, y, num_classes=10, l2=1e-3):
    """Multinomial logistic regression on x [N, D], y [N] by full-batch L-BFGS; returns the nn.Linear."""
    linear = torch.nn.Linear(x.shape[1], num_classes)
    optimizer = torch.optim.LBFGS(linear.parameters(), max_iter=200, line_search_fn="strong_wolfe")

    def closure():
        optimizer.zero_grad()
        loss = F.cross_entropy(linear(x), y) + l2 * linear.weight.pow(2).sum()
        loss.backward()
        return loss

    optimizer.step(closure)
    return linear


def format_errors(errors):
    return "  ".join(f"k={k}: {v:5.1f}%" for k, v in errors.items())


# ------------------------------------------------------------------------------------------- main


def save_checkpoint(model, folder, record, settings):
    """Write <name>.pt (fp16 state_dict), <name>.json (SHA-256 and facts); return the .pt path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{CHECKPOINT_NAME}.pt"
    state = {k: (v.half() if v.is_floating_point() else v) for k, v in model.state_dict().items()}
    torch.save(state, path)
    meta = {"file": path.name, "sha256": file_sha256(path), "bytes": path.stat().st_size,
            "architecture": "torchvision.models.resnet18(num_classes=52)", "dtype": "float16",
            "classes": SOURCE_CLASSES, "input_size": INPUT_SIZE, "mean": MEAN, "std": STD,
            "source_task": record["task"], "settings": settings,
            "held_out_accuracy": round(record["held_out_accuracy"], 4),
            "torch": torch.__version__, "torchvision": torchvision.__version__}
    (folder / f"{CHECKPOINT_NAME}.json").write_text(json.dumps(meta, indent=2) + "\n")
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=DEFAULTS["steps"])
    parser.add_argument("--seed", type=int, default=DEFAULTS["seed"])
    parser.add_argument("--batch-size", type=int, default=DEFAULTS["batch_size"])
    parser.add_argument("--out", type=Path, default=SCRATCH,
                        help="folder for checkpoint, JSON and log (default: .cache/pretrain)")
    parser.add_argument("--record", action="store_true",
                        help="write into utils/checkpoints, replacing the shipped files")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch CPU threads (default 1: robust on a machine busy with other work, and "
                             "the shipped checkpoint was made with it; another count changes the last bits)")
    parser.add_argument("--task", choices=SOURCE_TASKS, default=DEFAULTS["task"],
                        help="source task of the checkpoint (default: letters_8x8, the one that "
                             "transferred best: utils/checkpoints/*_source_comparison.txt)")
    args = parser.parse_args(argv)
    if args.record:
        args.out = CHECKPOINTS
    torch.set_num_threads(args.threads)
    lines = []

    def log(line=""):
        print(line, flush=True)
        lines.append(line)

    settings = {**DEFAULTS, "task": args.task, "seed": args.seed, "steps": args.steps,
                "batch_size": args.batch_size, "input_size": INPUT_SIZE}
    log(f"# pretraining log for {CHECKPOINT_NAME}")
    log(f"# {time.strftime('%Y-%m-%d %H:%M')}, torch {torch.__version__}, torchvision "
        f"{torchvision.__version__}, {platform.machine()}, {torch.get_num_threads()} threads, "
        f"python {sys.version.split()[0]}")
    log(f"# settings: {settings}")
    log("# transfer = linear-probe test error on the real digits (50% stratified test split, "
        "logistic regression on frozen features, mean of 3 seeds; lower is better)")
    log(f"\n## source task {args.task}")
    model, record = pretrain(args.task, seed=args.seed, steps=args.steps, batch_size=args.batch_size,
                             log=log)
    log(f"transfer to digits: {format_errors(probe_errors(*digit_features(model)))}")
    path = save_checkpoint(model, args.out, record, settings)
    meta = json.loads((args.out / f"{CHECKPOINT_NAME}.json").read_text())
    log(f"\nsaved {path.name}: {meta['bytes'] / 1e6:.1f} MB, sha256 {meta['sha256']}")
    reloaded = load_pretrained_resnet18(path=path)
    assert reloaded.fc.out_features == len(SOURCE_CLASSES) and reloaded.fc.in_features == FEATURE_DIM
    log("reloaded through utils.pretrained.load_pretrained_resnet18 with the SHA-256 check: ok")
    (args.out / f"{CHECKPOINT_NAME}_training.txt").write_text("\n".join(lines) + "\n")
    shipped = json.loads((CHECKPOINTS / f"{CHECKPOINT_NAME}.json").read_text())["sha256"]
    if args.out != CHECKPOINTS:
        same = "reproduced bit for bit: the same SHA-256 as" if meta["sha256"] == shipped else "DIFFERS from"
        print(f"{same} the shipped {CHECKPOINTS.relative_to(ROOT)}/{path.name}; nothing tracked was changed "
              f"(`make pretrain RECORD=1` replaces it)")


if __name__ == "__main__":
    main()
