"""Crosscheck probes of 01_norm_layers (see tools/crosscheck.py): instructor-side, never shipped.

Each probe(ns, g) calls an exercise from the notebook namespace `ns` on inputs drawn from the
seeded torch.Generator `g`, and returns {key: tensor or number}. Same kinds of cases as the
hidden tests: random shapes, eps inside the square root, float64, running statistics updated in
place and without gradient history, gradients through the statistics (all training-mode
exercises), nothing changed in eval mode, ValueError on an indivisible group count, the module's
parameters, buffers, modes and gradients. The exercises run under forbid_builtins(TOPIC).
Runs inside the sandbox, where only torch, numpy and tools/probes/probe_common.py are importable.
"""

import torch
from probe_common import Probe, rand, randn


def gradients(y, inputs, g):
    """{name: gradient of (y * random weights).sum() w.r.t. each input}; NaN where none reaches it."""
    weights = randn(g, *y.shape)
    names = list(inputs)
    if not y.requires_grad:
        return {f"grad_{k}": torch.full(inputs[k].shape, float("nan")) for k in names}
    grads = torch.autograd.grad((y * weights).sum(), [inputs[k] for k in names], allow_unused=True)
    return {f"grad_{k}": torch.full(inputs[k].shape, float("nan")) if d is None else d
            for k, d in zip(names, grads, strict=True)}


# The built-ins the exercises teach: each probe runs under utils.shortcuts.forbid_builtins(TOPIC).
TOPIC = "normalization"


def layernorm1d_values(ns, g):
    f, out = ns["layernorm1d"], {}
    for k, (B, D) in enumerate([(8, 16), (3, 5), (1, 7), (5, 64)]):
        x = (randn(g, B, D) * 3 + 2).requires_grad_()
        x0 = x.detach().clone()
        gamma, beta = randn(g, D).requires_grad_(), randn(g, D).requires_grad_()
        y = f(x, gamma, beta)
        out[f"random{k}"] = y
        out[f"x_unchanged{k}"] = torch.equal(x.detach(), x0)
        for key, value in gradients(y, {"x": x, "gamma": gamma, "beta": beta}, g).items():
            out[f"{key}{k}"] = value
    x = randn(g, 4, 6) * 1e-3
    for eps in (1e-5, 0.1):
        out[f"eps{eps}"] = f(x, torch.ones(6), torch.zeros(6), eps=eps)
    out["float64"] = f(randn(g, 3, 4, dtype=torch.float64), torch.ones(4, dtype=torch.float64),
                       torch.zeros(4, dtype=torch.float64))
    return out


def batchnorm_train_values(f, g, shapes, affine):
    out = {}
    for k, (shape, momentum) in enumerate(shapes):
        C = shape[1]
        x = (randn(g, *shape) * 2 + 1).requires_grad_()
        gamma, beta = randn(g, C).requires_grad_(), randn(g, C).requires_grad_()
        rm, rv = randn(g, C), rand(g, C) + 0.5
        y = f(x, gamma, beta, rm, rv, momentum=momentum)
        out[f"out{k}"], out[f"running_mean{k}"], out[f"running_var{k}"] = y, rm, rv
        out[f"running_history{k}"] = rm.requires_grad or rv.requires_grad
        for key, value in gradients(y, {"x": x, "gamma": gamma, "beta": beta}, g).items():
            out[f"{key}{k}"] = value
    x = randn(g, *affine) * 1e-3
    C = affine[1]
    rm, rv = torch.zeros(C), torch.ones(C)
    out["eps"] = f(x, torch.ones(C), torch.zeros(C), rm, rv, eps=1e-3)
    out["eps_running_var"] = rv
    return out


def batchnorm1d_train_values(ns, g):
    return batchnorm_train_values(ns["batchnorm1d_train"], g,
                                  [((16, 8), 0.1), ((2, 3), 0.3), ((7, 5), 0.01)], (5, 4))


def batchnorm2d_train_values(ns, g):
    return batchnorm_train_values(ns["batchnorm2d_train"], g,
                                  [((8, 3, 5, 5), 0.1), ((2, 4, 3, 2), 0.5), ((1, 6, 4, 4), 0.1),
                                   ((5, 2, 1, 1), 0.2)], (2, 3, 4, 4))


def batchnorm_eval_values(f, g, shapes):
    out = {}
    for k, shape in enumerate(shapes):
        C = shape[1]
        rm, rv = randn(g, C), rand(g, C) + 0.1
        rm0, rv0 = rm.clone(), rv.clone()
        out[f"out{k}"] = f(randn(g, *shape), randn(g, C), randn(g, C), rm, rv)
        out[f"unchanged{k}"] = torch.equal(rm, rm0) and torch.equal(rv, rv0)
    C = shapes[0][1]
    rv = torch.full((C,), 1e-4)
    out["eps"] = f(torch.ones(2, *shapes[0][1:]), torch.ones(C), torch.zeros(C), torch.zeros(C), rv, eps=1e-2)
    return out


def batchnorm1d_eval_values(ns, g):
    return batchnorm_eval_values(ns["batchnorm1d_eval"], g, [(6, 4), (1, 9)])


def batchnorm2d_eval_values(ns, g):
    return batchnorm_eval_values(ns["batchnorm2d_eval"], g, [(4, 3, 5, 5), (1, 7, 2, 3)])


def layernorm2d_values(ns, g):
    f, out = ns["layernorm2d"], {}
    for k, shape in enumerate([(4, 3, 5, 5), (2, 8, 3, 7), (1, 1, 2, 2)]):
        x = (randn(g, *shape) * 2 - 1).requires_grad_()
        gamma, beta = randn(g, *shape[1:]).requires_grad_(), randn(g, *shape[1:]).requires_grad_()
        y = out[f"random{k}"] = f(x, gamma, beta)
        for key, value in gradients(y, {"x": x, "gamma": gamma, "beta": beta}, g).items():
            out[f"{key}{k}"] = value
    x = randn(g, 2, 3, 4, 4) * 1e-3
    out["eps"] = f(x, torch.ones(3, 4, 4), torch.zeros(3, 4, 4), eps=1e-4)
    return out


def groupnorm_values(ns, g):
    f, out = ns["groupnorm"], {}
    for k, (shape, G) in enumerate([((4, 6, 5, 5), 3), ((2, 8, 3, 7), 4), ((3, 4, 2, 2), 1),
                                    ((2, 5, 3, 3), 5), ((1, 12, 1, 1), 6)]):
        C = shape[1]
        x = (randn(g, *shape) * 2 + 1).requires_grad_()
        gamma, beta = randn(g, C).requires_grad_(), randn(g, C).requires_grad_()
        y = out[f"random{k}"] = f(x, G, gamma, beta)
        for key, value in gradients(y, {"x": x, "gamma": gamma, "beta": beta}, g).items():
            out[f"{key}{k}"] = value
    x = randn(g, 2, 4, 3, 3) * 1e-3
    out["eps"] = f(x, 2, torch.ones(4), torch.zeros(4), eps=1e-4)
    for k, (C, G) in enumerate([(10, 3), (4, 8), (6, 4)]):
        try:
            f(torch.zeros(1, C, 2, 2), G, torch.ones(C), torch.zeros(C))
            out[f"raises{k}"] = False
        except ValueError as error:
            out[f"raises{k}"] = str(G) in str(error) or str(C) in str(error)
    return out


def batchnorm2d_module_values(ns, g):
    cls, out = ns["BatchNorm2d"], {}
    for k, (C, eps, momentum) in enumerate([(4, 1e-5, 0.1), (2, 1e-3, 0.3)]):
        m = cls(C, eps=eps, momentum=momentum)
        params = sorted(n for n, p in m.named_parameters() if isinstance(p, torch.nn.Parameter))
        out[f"params{k}"] = params == ["bias", "weight"]
        buffers = sorted(n for n, _ in m.named_buffers())
        out[f"buffers{k}"] = buffers == ["num_batches_tracked", "running_mean", "running_var"]
        out[f"buffer_count{k}"] = len(list(m.buffers()))
        out[f"init{k}"] = torch.cat([m.weight.detach(), m.bias.detach(), m.running_mean, m.running_var])
        with torch.no_grad():
            m.weight.copy_(randn(g, C))
            m.bias.copy_(randn(g, C))
        for step in range(3):
            x = (randn(g, 6, C, 4, 3) * (step + 1) + step).requires_grad_()
            y = out[f"train{k}_{step}"] = m(x)
            out[f"train_grad_x{k}_{step}"] = gradients(y, {"x": x}, g)["grad_x"]
        out[f"running{k}"] = torch.cat([m.running_mean, m.running_var])
        out[f"tracked{k}"] = m.num_batches_tracked
        m.eval()
        out[f"eval{k}"] = m(randn(g, 5, C, 3, 3)).detach()
        out[f"running_after_eval{k}"] = torch.cat([m.running_mean, m.running_var])
        out[f"tracked_after_eval{k}"] = m.num_batches_tracked
        m.train()
        x = randn(g, 3, C, 2, 2)
        m(x).pow(3).sum().backward()
        out[f"grads{k}"] = torch.cat([m.weight.grad, m.bias.grad])
    return out


PROBES = [  # gradients are compared with check_gradients' tolerances (atol 1e-4, rtol 1e-3)
    Probe("layernorm1d", layernorm1d_values, {"atol": 1e-4, "rtol": 1e-3}),
    Probe("batchnorm1d_train", batchnorm1d_train_values, {"atol": 1e-4, "rtol": 1e-3}),
    Probe("batchnorm1d_eval", batchnorm1d_eval_values, {}),
    Probe("layernorm2d", layernorm2d_values, {"atol": 1e-4, "rtol": 1e-3}),
    Probe("batchnorm2d_train", batchnorm2d_train_values, {"atol": 1e-4, "rtol": 1e-3}),
    Probe("batchnorm2d_eval", batchnorm2d_eval_values, {}),
    Probe("groupnorm", groupnorm_values, {"atol": 1e-4, "rtol": 1e-3}),
    Probe("BatchNorm2d", batchnorm2d_module_values, {"atol": 1e-4, "rtol": 1e-3}),
]
