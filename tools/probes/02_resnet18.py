"""Crosscheck probes of 02_resnet18 (see tools/crosscheck.py): instructor-side, never shipped.

Models are compared through torchvision's parameter names and shapes: each probe builds the
torchvision counterpart (initialised from the probe's seed), randomises its BatchNorm statistics
with the seeded generator `g`, loads that state into the student's module (strict) and records
outputs in training and evaluation mode, gradients, the running statistics after a step,
parameter counts, structural flags and whether fc keeps nn.Linear's initialization.
Self-contained: runs inside the sandbox.
"""

import torch
import torch.nn as nn
import torchvision
from probe_common import Probe
from torchvision.models.resnet import BasicBlock as TorchvisionBasicBlock

RELATIVE = {"rtol": 1e-3, "atol": 1e-3}


def randomize_batchnorm(module, g):
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.copy_(torch.randn(m.weight.shape, generator=g))
                m.bias.copy_(torch.randn(m.bias.shape, generator=g) * 0.5)
                m.running_mean.copy_(torch.randn(m.running_mean.shape, generator=g) * 0.2)
                m.running_var.copy_(torch.rand(m.running_var.shape, generator=g) + 0.5)
    return module


def statistics(module):
    """The running statistics and counters of a module's state, concatenated."""
    return torch.cat([v.reshape(-1).double() for k, v in sorted(module.state_dict().items())
                      if "running" in k or "num_batches" in k])


def no_torchvision(module):
    return all(not type(m).__module__.startswith("torchvision") for m in module.modules())


def count_parameters_values(ns, g):
    f, out = ns["count_parameters"], {}
    resnet = torchvision.models.resnet18(weights=None)
    out["resnet"] = [f(resnet), f(resnet, trainable_only=True)]
    resnet.requires_grad_(False)
    resnet.fc.requires_grad_(True)
    out["resnet_fc_only"] = [f(resnet, True), f(resnet)]
    out["resnet10"] = f(torchvision.models.resnet18(weights=None, num_classes=10))
    shared = nn.Linear(4, 4)
    out["shared"] = f(nn.Sequential(shared, nn.ReLU(), shared))
    plain = nn.BatchNorm2d(8, affine=False)
    out["empty"] = [f(nn.ReLU()), f(plain), f(plain, True)]
    state = nn.Module()
    state.scale = nn.Parameter(torch.ones(3, 5))
    state.offset = nn.Parameter(torch.zeros(2), requires_grad=False)
    state.register_buffer("seen", torch.zeros(7))
    out["with_state"] = [f(state), f(state, trainable_only=True)]
    frozen = nn.Conv2d(3, 4, 3).requires_grad_(False)
    out["frozen_conv"] = [f(frozen, trainable_only=True), f(frozen)]
    sizes = [int(s) for s in torch.randint(1, 9, (3,), generator=g)]
    mixed = nn.Sequential(nn.Linear(sizes[0], sizes[1]), nn.Linear(sizes[1], sizes[2]))
    mixed[1].weight.requires_grad_(False)
    out["random"] = [f(mixed), f(mixed, trainable_only=True)]
    out["types"] = [type(f(mixed)) is int, type(f(mixed, trainable_only=True)) is int]
    return out


def basicblock_values(ns, g):
    cls, out = ns["BasicBlock"], {}
    for k, (cin, cout, stride, size) in enumerate([(64, 64, 1, 8), (64, 128, 2, 8), (16, 32, 1, 6),
                                                   (32, 32, 2, 7), (8, 16, 2, 5), (24, 12, 1, 4)]):
        projection = stride != 1 or cin != cout
        shortcut = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False), nn.BatchNorm2d(cout))
                    if projection else None)
        reference = randomize_batchnorm(TorchvisionBasicBlock(cin, cout, stride, shortcut), g)
        ours = cls(cin, cout, stride)
        out[f"structure{k}"] = [no_torchvision(ours), (ours.downsample is None) != projection,
                                set(ours.state_dict()) == set(reference.state_dict())]
        ours.load_state_dict(reference.state_dict(), strict=True)
        ours.train()
        x = torch.randn(4, cin, size, size, generator=g).requires_grad_()
        y = ours(x)
        (y * torch.randn(y.shape, generator=g)).sum().backward()
        out[f"train{k}"], out[f"grad_x{k}"] = y.detach(), x.grad
        out[f"grad_conv1{k}"] = ours.conv1.weight.grad
        out[f"statistics{k}"] = statistics(ours)
        ours.eval()
        with torch.no_grad():
            out[f"eval{k}"] = ours(torch.randn(3, cin, size, size, generator=g))
    return out


def resnet18_values(ns, g):
    cls, out = ns["ResNet18"], {}
    reference = torchvision.models.resnet18(weights=None)
    model = cls()
    blocks = [b for k in range(1, 5) for b in getattr(model, f"layer{k}")]
    out["structure"] = [no_torchvision(model), all(isinstance(b, ns["BasicBlock"]) for b in blocks),
                        set(model.state_dict()) == set(reference.state_dict())]
    out["parameters"] = sum(p.numel() for p in model.parameters())
    model.load_state_dict(reference.state_dict(), strict=True)
    model.eval()
    x = torch.randn(1, 3, 64, 64, generator=g)
    with torch.no_grad():
        out["eval"] = model(x)
    randomize_batchnorm(reference, g)
    model.load_state_dict(reference.state_dict(), strict=True)
    with torch.no_grad():
        out["eval_random_bn"] = model(torch.randn(2, 3, 96, 80, generator=g))
    model.train()
    y = model(torch.randn(4, 3, 64, 64, generator=g))
    y.square().mean().backward()
    out["train"], out["grad_conv1"] = y.detach(), model.conv1.weight.grad
    out["statistics"] = statistics(model)
    seven = cls(num_classes=7).eval()
    with torch.no_grad():
        out["seven"] = seven(torch.randn(3, 3, 32, 32, generator=g)).shape
    bound = 512 ** -0.5  # nn.Linear(512, 7)'s default initialization is uniform in [-bound, bound]
    out["fc_init"] = [bool(v.abs().max() <= bound) and bool(v.std() > bound / 3)
                      for v in (seven.fc.weight.detach(), seven.fc.bias.detach())]
    return out


def resnet18_options_values(ns, g):
    cls, out = ns["ResNet18"], {}
    small = cls(num_classes=10, small_input=True)
    standard = cls(in_channels=2)
    out["no_torchvision"] = [no_torchvision(small), no_torchvision(standard)]
    out["stems"] = [*small.conv1.kernel_size, *small.conv1.stride, *small.conv1.padding,
                    small.conv1.bias is None, isinstance(small.maxpool, nn.Identity),
                    *standard.conv1.kernel_size, *standard.conv1.stride, *standard.conv1.padding,
                    isinstance(standard.maxpool, nn.MaxPool2d)]
    for k, (classes, channels, small_input, size) in enumerate([(10, 3, True, 16), (10, 1, True, 12),
                                                                 (5, 4, False, 40)]):
        variant = torchvision.models.resnet18(weights=None, num_classes=classes)
        if small_input:
            variant.conv1 = nn.Conv2d(channels, 64, 3, stride=1, padding=1, bias=False)
            variant.maxpool = nn.Identity()
        else:
            variant.conv1 = nn.Conv2d(channels, 64, 7, stride=2, padding=3, bias=False)
        randomize_batchnorm(variant, g)
        ours = cls(num_classes=classes, in_channels=channels, small_input=small_input)
        out[f"keys{k}"] = set(ours.state_dict()) == set(variant.state_dict())
        out[f"parameters{k}"] = sum(p.numel() for p in ours.parameters())
        ours.load_state_dict(variant.state_dict(), strict=True)
        ours.eval()
        with torch.no_grad():
            out[f"eval{k}"] = ours(torch.randn(2, channels, size, size, generator=g))
            ours.train()
            out[f"train{k}"] = ours(torch.randn(3, channels, size, size, generator=g))
    return out


PROBES = [
    Probe("count_parameters", count_parameters_values, {}),
    Probe("BasicBlock", basicblock_values, {"rtol": 1e-3, "atol": 1e-3}),
    Probe("ResNet18", resnet18_values, {"cells": ["resnet18_tests"], **RELATIVE}),
    Probe("ResNet18", resnet18_options_values, {"cells": ["resnet18_options_tests"], **RELATIVE}),
]
