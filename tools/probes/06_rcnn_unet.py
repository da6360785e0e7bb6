"""Crosscheck probes of 06_rcnn_unet (see tools/crosscheck.py): instructor-side, never shipped.

Each probe(ns, g) calls an exercise of the notebook namespace `ns` on inputs drawn from the seeded
torch.Generator `g` (the same kinds of cases as the hidden tests: random anchor configurations with
half-pixel corners, box coder weights and deltas past the clamp, RoIs across and outside the map
borders at several scales and sampling ratios, U-Nets of several depths with deterministic
parameters in both modes, label maps with absent classes) and returns {key: tensor or number}.
The exercises run under forbid_builtins(TOPIC). Self-contained: runs inside the sandbox.
"""

import torch
from probe_common import Probe, raises, rand, randn

# The built-ins the exercises teach: each probe runs under utils.shortcuts.forbid_builtins(TOPIC).
TOPIC = "detection_ops"


def random_boxes(g, n, scale):
    corner = rand(g, n, 2) * scale
    return torch.cat([corner, corner + rand(g, n, 2) * (scale - 1) + 1], dim=1)


def random_rois(g, n, batch, span):
    corner = rand(g, n, 2) * span * 1.2 - span * 0.1
    rois = torch.cat([torch.randint(0, batch, (n, 1), generator=g).float(), corner,
                      corner + rand(g, n, 2) * span * 0.8], dim=1)
    rois[0, 1:] = torch.tensor([-3.0, -3.0, -2.0, -2.0]) * span  # outside the map
    rois[1, 1:] = torch.tensor([0.0, 0.0, 1.3, 1.3]) * span  # past the bottom-right border
    return rois


def make_anchors_values(ns, g):
    f, out = ns["make_anchors"], {}
    for k in range(5):
        H, W = (int(v) for v in torch.randint(1, 6, (2,), generator=g))
        stride = tuple(int(v) for v in torch.randint(2, 33, (2,), generator=g))
        sizes = tuple(int(v) for v in torch.randint(3, 200, (int(torch.randint(1, 4, (1,), generator=g)),),
                                                      generator=g))
        ratios = tuple(float(v) for v in rand(g, int(torch.randint(1, 4, (1,), generator=g))) * 2.5 + 0.25)
        out[f"random{k}"] = f((H, W), stride, sizes, ratios)
    out["half_pixel"] = f((2, 2), (4, 4), (5, 7), (1.0,))
    out["tall"] = f((1, 2), (16, 8), (32,), (4.0, 0.25))
    return out


def box_coder_values(ns, g):
    encode, decode, out = ns["encode_boxes"], ns["decode_boxes"], {}
    cases = [((1.0, 1.0, 1.0, 1.0), 30, 400.0), ((10.0, 10.0, 5.0, 5.0), 20, 30.0),
             ((2.0, 0.5, 3.0, 1.5), 5, 80.0)]
    for k, (weights, n, scale) in enumerate(cases):
        gt, anchors = random_boxes(g, n, scale), random_boxes(g, n, scale)
        out[f"encode{k}"] = encode(gt, anchors, weights)
        deltas = randn(g, n, 4) * 2
        deltas[0, 2:] = torch.tensor([9.0, 20.0]) * torch.tensor(weights[2:])  # past the clamp
        out[f"decode{k}"] = decode(deltas, anchors, weights)
    gt, anchors = random_boxes(g, 4, 50.0).double(), random_boxes(g, 4, 50.0).double()
    out["round_trip64"] = decode(encode(gt, anchors), anchors)
    return out


def roi_pool_values(ns, g):
    f, out = ns["roi_pool"], {}
    cases = [((2, 3, 9, 11), 12, (2, 3), 0.25), ((1, 2, 6, 6), 6, (7, 7), 1.0),
             ((3, 1, 12, 8), 10, (1, 1), 0.5)]
    for k, (shape, n, size, scale) in enumerate(cases):
        rois = random_rois(g, n, shape[0], max(shape[2:]) / scale)
        out[f"random{k}"] = f(randn(g, *shape), rois, size, scale)
    half_cells = torch.tensor([[0.0, 5.0, 5.0, 9.0, 9.0], [0.0, 3.0, 1.0, 11.0, 7.0]])
    out["half_cells"] = f(randn(g, 1, 2, 8, 8), half_cells, (2, 2), 0.5)
    return out


def roi_align_values(ns, g):
    f, out = ns["roi_align"], {}
    for k, (shape, n, size, scale, ratio) in enumerate([((2, 3, 9, 11), 12, (2, 3), 0.25, 2),
                                                        ((1, 2, 6, 6), 6, (7, 7), 1.0, 1),
                                                        ((3, 1, 12, 8), 10, (1, 1), 0.5, 3)]):
        rois = random_rois(g, n, shape[0], max(shape[2:]) / scale)
        out[f"random{k}"] = f(randn(g, *shape), rois, size, scale, ratio)
    out["float64"] = f(randn(g, 1, 2, 6, 6, dtype=torch.float64),
                       torch.tensor([[0.0, 0.7, 1.3, 4.2, 5.9]], dtype=torch.float64), (3, 2), 1.0, 2)
    return out


def fill_deterministically(model):
    with torch.no_grad():
        for k, (name, tensor) in enumerate(sorted(model.state_dict().items())):
            if tensor.dtype.is_floating_point:
                wave = torch.sin(torch.arange(tensor.numel(), dtype=torch.float32) * 0.53 + k).view_as(tensor)
                if tensor.dim() == 4:
                    tensor.copy_(wave * (6 / tensor[0].numel()) ** 0.5)
                else:
                    tensor.copy_(wave * 0.3 + (1.0 if name.endswith(("weight", "running_var")) else 0.0))
    return model


def unet_values(ns, g):
    UNet, out = ns["UNet"], {}
    cases = [((1, 3), {}, (2, 1, 16, 12)), ((3, 5), {"widths": (8, 16)}, (2, 3, 10, 6)),
             ((1, 2), {"widths": (4, 8, 16, 32)}, (1, 1, 16, 24)), ((2, 3), {"skip": False}, (2, 2, 12, 8))]
    for k, (args, kwargs, shape) in enumerate(cases):
        net = UNet(*args, **kwargs)
        out[f"shapes{k}"] = torch.tensor([s for _, p in sorted(net.state_dict().items()) for s in p.shape])
        fill_deterministically(net)
        x = randn(g, *shape)
        with torch.no_grad():
            out[f"eval{k}"] = net.eval()(x)
            out[f"train{k}"] = net.train()(x)
            state = sorted(net.state_dict().items())
            out[f"running{k}"] = torch.cat([v.reshape(-1).double() for n, v in state if "running" in n])
    out["size_check"] = [raises(UNet(1, 2), torch.zeros(1, 1, 18, 16)),
                         raises(UNet(1, 2, widths=(8, 16)), torch.zeros(1, 1, 8, 7))]
    return out


def dice_loss_values(ns, g):
    f, out = ns["dice_loss"], {}
    for k, shape in enumerate([(2, 3, 7, 5), (1, 2, 1, 1), (4, 6, 3, 8)]):
        logits = (randn(g, *shape) * 3).requires_grad_()
        masks = torch.randint(0, shape[1], (shape[0],) + shape[2:], generator=g)
        loss = f(logits, masks)
        loss.backward()
        out[f"loss{k}"] = loss.detach()
        out[f"grad{k}"] = logits.grad if logits.grad is not None else torch.full(shape, float("nan"))
        out[f"eps{k}"] = f(logits.detach(), masks, eps=1.0)
    return out


def mean_iou_values(ns, g):
    f, out = ns["mean_iou"], {}
    for k, (shape, classes) in enumerate([((3, 6, 7), 5), ((1, 1, 1), 3), ((2, 9, 4), 8)]):
        pred = torch.randint(0, classes - 1, shape, generator=g)
        masks = torch.randint(0, classes - 1, shape, generator=g)
        per_class, mean = f(pred, masks, classes)
        out[f"per_class{k}"], out[f"mean{k}"] = per_class, mean
    return out


PROBES = [
    Probe("make_anchors", make_anchors_values, {}),
    Probe("encode_boxes", box_coder_values, {"rtol": 1e-4, "atol": 1e-3}),
    Probe("roi_pool", roi_pool_values, {}),
    Probe("roi_align", roi_align_values, {"atol": 1e-5}),
    Probe("UNet", unet_values, {"rtol": 1e-4, "atol": 1e-4}),
    Probe("dice_loss", dice_loss_values, {"atol": 1e-6}),
    Probe("mean_iou", mean_iou_values, {}),
]
