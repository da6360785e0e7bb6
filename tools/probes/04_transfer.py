"""Crosscheck probes of 04_transfer (see tools/crosscheck.py): instructor-side, never shipped.

Small torchvision-shaped models (a ResNet-18 where the structure matters, a tiny conv net with a
BatchNorm and an `fc` elsewhere) built from the probe's seed; the probes record structure (sizes,
requires_grad and training flags, optimizer groups as parameter positions), features, and, for
the linear probe, its weights after training from the same global seed as the reference (as the
hidden tests do); for the random subset, the raw indices checked by a `verify` function in the
trusted parent: exactly k distinct indices of each class, sorted, reproducible per seed.
"""

import numpy as np
from probe_common import Probe, generator_decides, raises

try:  # the parent, which only runs the verify functions, does not need torch to load this file
    import torch
    import torch.nn as nn
    import torchvision
except ImportError:  # pragma: no cover
    torch = nn = torchvision = None


def tiny_net():
    class TinyNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(3, 6, 3, padding=1)
            self.bn = nn.BatchNorm2d(6)
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(6, 4)

        def forward(self, x):
            return self.fc(torch.flatten(self.pool(torch.relu(self.bn(self.conv(x)))), 1))

    return TinyNet()


def replace_head_values(ns, g):
    f, out = ns["replace_head"], {}
    for k, (model, classes) in enumerate([(torchvision.models.resnet18(weights=None), 10), (tiny_net(), 7)]):
        backbone = [p.detach().clone() for n, p in model.named_parameters() if not n.startswith("fc.")]
        result = f(model, classes)
        fc = model.fc
        out[f"head{k}"] = [
            result is model,
            isinstance(fc, nn.Linear),
            fc.in_features,
            fc.out_features,
            fc.bias is not None and tuple(fc.bias.shape) == (classes,),
            fc.weight.requires_grad,
        ]
        after = [p.detach() for n, p in model.named_parameters() if not n.startswith("fc.")]
        out[f"backbone_kept{k}"] = len(after) == len(backbone) and all(
            torch.equal(a, b) for a, b in zip(after, backbone, strict=False)
        )
        out[f"logits_shape{k}"] = model.eval()(torch.rand(2, 3, 32, 32, generator=g)).shape
    return out


def freeze_backbone_values(ns, g):
    f, out = ns["freeze_backbone"], {}
    for k, model in enumerate([torchvision.models.resnet18(weights=None, num_classes=10), tiny_net()]):
        model.fc.weight.requires_grad_(False)
        result = f(model)
        out[f"flags{k}"] = [p.requires_grad for p in model.parameters()]
        out[f"same{k}"] = result is model
    return out


def set_frozen_bn_eval_values(ns, g):
    f, out = ns["set_frozen_bn_eval"], {}
    model = torchvision.models.resnet18(weights=None, num_classes=10)
    for p in model.parameters():
        p.requires_grad_(False)
    for p in list(model.layer4.parameters()) + list(model.fc.parameters()):
        p.requires_grad_(True)
    model.layer3[1].bn2.weight.requires_grad_(True)  # half frozen: not all of its parameters
    model.train()
    result = f(model)
    out["training"] = [m.training for m in model.modules()]
    out["same"] = result is model
    seq = nn.Sequential(nn.Linear(4, 4), nn.BatchNorm1d(4).requires_grad_(False), nn.Dropout(0.5)).train()
    f(seq)
    out["training_1d"] = [m.training for m in seq.modules()]
    return out


def extract_features_values(ns, g):
    f, out = ns["extract_features"], {}
    model = tiny_net()
    with torch.no_grad():
        model.bn.running_mean.copy_(torch.randn(6, generator=g))
        model.bn.running_var.copy_(torch.rand(6, generator=g) + 0.5)
    head = model.fc
    loader = [
        (torch.rand(b, 3, 8, 8, generator=g), torch.randint(0, 4, (b,), generator=g)) for b in (5, 3, 4)
    ]
    for mode in ("train", "eval"):
        model.train(mode == "train")
        features, labels = f(model, loader)
        out[f"features_{mode}"], out[f"labels_{mode}"] = features, labels
        out[f"state_{mode}"] = [
            model.fc is head,
            model.training == (mode == "train"),
            features.requires_grad,
            features.dtype == torch.float32,
        ]
    out["running_mean"] = model.bn.running_mean
    return out


def train_linear_probe_values(ns, g):
    """Seeded like the hidden tests: the same global seed before each call gives the same init."""
    f, out = ns["train_linear_probe"], {}
    base = int(torch.randint(0, 2**30, (1,), generator=g))
    for k, (N, D, K, epochs, lr, wd) in enumerate(
        [
            (40, 16, 4, 30, 0.1, 0.0),
            (25, 5, 7, 12, 0.5, 0.01),
            (9, 32, 3, 1, 0.05, 0.1),
            (30, 10, 2, 60, 0.2, 1e-3),
            (5, 6, 3, 0, 0.1, 0.0),
        ]
    ):
        features = torch.randn(N, D, generator=g) * 2
        labels = torch.randint(0, K, (N,), generator=g)
        before = features.clone()
        torch.manual_seed(base + k)
        linear = f(features, labels, K, epochs=epochs, lr=lr, weight_decay=wd)
        out[f"weight{k}"], out[f"bias{k}"] = linear.weight, linear.bias
        out[f"flags{k}"] = [
            type(linear) is nn.Linear,
            all(p.requires_grad for p in linear.parameters()),
            torch.equal(before, features),
        ]
    return out


def make_finetune_optimizer_values(ns, g):
    f, out = ns["make_finetune_optimizer"], {}
    model = torchvision.models.resnet18(weights=None, num_classes=10)
    model.conv1.requires_grad_(False)
    model.bn1.requires_grad_(False)
    position = {id(p): k for k, p in enumerate(model.parameters())}
    for k, kwargs in enumerate(
        [{"lr": 0.1}, {"lr": 0.02, "backbone_lr_factor": 0.5, "momentum": 0.8, "weight_decay": 1e-3}]
    ):
        optimizer = f(model, **kwargs)
        out[f"sgd{k}"] = isinstance(optimizer, torch.optim.SGD)
        out[f"groups{k}"] = len(optimizer.param_groups)
        for n, group in enumerate(optimizer.param_groups):
            out[f"group{k}_{n}_params"] = sorted(position.get(id(p), -1) for p in group["params"])
            out[f"group{k}_{n}_settings"] = [group["lr"], group["momentum"], group["weight_decay"]]
    return out


def subset_per_class_values(ns, g):
    f, out = ns["subset_per_class"], {}
    labels = torch.randint(0, 5, (200,), generator=g)
    labels[:5] = torch.arange(5)  # every class present
    out["labels"] = labels
    for k in (1, 3, 7):
        out[f"subset{k}"] = f(labels, k, generator=torch.Generator().manual_seed(k))
    out["repeat_a"] = f(labels, 4, generator=torch.Generator().manual_seed(21))
    torch.rand(3)
    out["repeat_b"] = f(labels, 4, generator=torch.Generator().manual_seed(21))
    out["other"] = f(labels, 4, generator=torch.Generator().manual_seed(22))
    out["sparse"] = f(labels * 2 + 3, 2, generator=torch.Generator().manual_seed(5))  # classes 3, 5, ..., 11
    exact = torch.tensor([0, 0, 1, 1, 1, 2, 2])  # classes 0 and 2 hold exactly k=2 examples
    out["exact"] = f(exact, 2, generator=torch.Generator().manual_seed(6))
    out["raises"] = raises(f, torch.tensor([0, 0, 1, 1, 1, 2]), 2)  # class 2 holds 1 < k
    return out


def subset_per_class_verify(theirs, ours):
    labels = ours["labels"]
    if not np.array_equal(theirs["labels"], labels):
        return "the probe's labels differ from the reference's (was torch patched?)"
    for k in (1, 3, 7):
        subset = theirs[f"subset{k}"]
        if subset.dtype != np.int64 or subset.ndim != 1 or subset.shape != ours[f"subset{k}"].shape:
            return f"k={k}: got {subset.dtype} {subset.shape}, expected int64 {ours[f'subset{k}'].shape}"
        if not (np.diff(subset) > 0).all() or subset.min() < 0 or subset.max() >= len(labels):
            return f"k={k}: indices must be distinct, sorted and valid"
        if not (np.bincount(labels[subset], minlength=5) == k).all():
            return f"k={k}: not exactly k examples of each class"
    if not generator_decides(theirs):
        return "the generator does not decide the subset"
    checks = [("sparse", labels, 2, "labels 3, 5, ..., 11 with k=2"),
              ("exact", np.array([0, 0, 1, 1, 1, 2, 2]), 2, "k=2 with classes of exactly 2 examples")]
    for key, classes, k, case in checks:
        subset = theirs[key]
        if subset.dtype != np.int64 or subset.shape != (3 * k if key == "exact" else 5 * k,):
            return f"{case}: got {subset.dtype} {subset.shape}"
        if not (np.diff(subset) > 0).all() or subset.min() < 0 or subset.max() >= len(classes):
            return f"{case}: indices must be distinct, sorted and valid"
        if not (np.bincount(classes[subset]) == k).all():
            return f"{case}: not exactly k examples of each present class"
    if not theirs["raises"]:
        return "no ValueError when a class has fewer than k examples"
    return None


PROBES = [
    Probe("replace_head", replace_head_values, {}),
    Probe("freeze_backbone", freeze_backbone_values, {}),
    Probe("set_frozen_bn_eval", set_frozen_bn_eval_values, {}),
    Probe("extract_features", extract_features_values, {}),
    Probe("train_linear_probe", train_linear_probe_values, {"atol": 1e-4}),
    Probe("make_finetune_optimizer", make_finetune_optimizer_values, {}),
    Probe("subset_per_class", subset_per_class_values, {"verify": subset_per_class_verify}),
]
