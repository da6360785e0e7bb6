"""Crosscheck probes of 05_yolo (see tools/crosscheck.py): instructor-side, never shipped.

Each probe(ns, g) calls an exercise from the notebook namespace `ns` on inputs drawn from the
seeded torch.Generator `g` (plus the hidden tests' edge cases: centres at 0 and 1, two boxes in one
cell, empty images, float64, bad input raising ValueError, IoU exactly at the NMS threshold, tied
scores, chains of boxes, per-class NMS, responsibility by IoU with ties, gradients) and returns {key: value}.
The exercises run under forbid_builtins(TOPIC). Runs inside the sandbox, where only torch, numpy
and tools/probes/probe_common.py are importable.
"""

import torch
from probe_common import Probe, raises, rand, randn

# The built-ins the exercises teach: each probe runs under utils.shortcuts.forbid_builtins(TOPIC).
TOPIC = "box_ops"


def split_predictions_values(ns, g):
    f, out = ns["split_predictions"], {}
    for k, (N, S, B, C) in enumerate([(3, 4, 2, 3), (1, 7, 2, 20), (2, 2, 3, 1), (2, 5, 1, 4)]):
        p = randn(g, N, S, S, B * 5 + C).requires_grad_()
        boxes, probs = f(p, B=B, C=C)
        out[f"boxes{k}"], out[f"probs{k}"] = boxes.detach(), probs.detach()
        (boxes.sum() + 2 * probs.sum()).backward()
        out[f"grad{k}"] = p.grad if p.grad is not None else torch.full(p.shape, float("nan"))
    return out


def conversion_values(name):
    def values(ns, g):
        f, out = ns[name], {}
        for k, shape in enumerate([(5, 4), (2, 3, 3, 2, 4), (0, 4)]):
            out[f"random{k}"] = f(rand(g, *shape))
        out["float64"] = f(rand(g, 3, 4, dtype=torch.float64))
        return out
    values.__name__ = f"{name}_values"
    return values


def random_xyxy(g, n, scale=1.0, dtype=torch.float32):
    lo = rand(g, n, 2, dtype=dtype) * scale
    return torch.cat([lo, lo + rand(g, n, 2, dtype=dtype) * scale * 0.6 + 0.01 * scale], dim=1)


def box_iou_values(ns, g):
    f, out = ns["box_iou"], {}
    for k, (n, m, scale) in enumerate([(7, 5, 1.0), (20, 30, 100.0), (1, 1, 1.0), (4, 9, 0.01)]):
        out[f"random{k}"] = f(random_xyxy(g, n, scale), random_xyxy(g, m, scale))
    far = torch.tensor([[0.0, 0.0, 1.0, 1.0]])
    diag = torch.tensor([[2.0, 3.0, 4.0, 5.0], [-3.0, -2.0, -1.0, -0.5], [1.0, 1.0, 2.0, 2.0]])
    out["disjoint"] = f(far, diag)
    out["inside"] = f(torch.tensor([[0.0, 0.0, 4.0, 4.0]]), torch.tensor([[1.0, 1.0, 2.0, 3.0]]))
    out["empty"] = f(torch.zeros(0, 4), diag)
    b64 = random_xyxy(g, 3, dtype=torch.float64)
    out["float64"] = f(b64, b64)
    return out


def random_cxcywh(g, k, dtype=torch.float32):
    return torch.cat([rand(g, k, 2, dtype=dtype), rand(g, k, 2, dtype=dtype) * 0.9 + 0.05], dim=1)


def encode_targets_values(ns, g):
    f, out = ns["encode_targets"], {}
    corners = torch.tensor([[1.0, 1.0, 0.3, 0.2], [0.0, 0.0, 0.1, 0.1]])
    out["corners"] = f(corners, torch.tensor([1, 2]), S=7, C=3)
    out["right_edge"] = f(torch.tensor([[1.0, 0.3, 0.5, 0.5]]), torch.tensor([0]), S=4, C=2)
    out["asymmetric"] = f(torch.tensor([[0.85, 0.3, 0.25, 0.5]]), torch.tensor([1]), S=5, C=2)
    two = torch.tensor([[0.30, 0.30, 0.2, 0.2], [0.40, 0.35, 0.5, 0.6]])
    out["two_in_cell"] = f(two, torch.tensor([0, 1]), S=2, C=2)
    out["two_in_cell_flipped"] = f(two.flip(0), torch.tensor([1, 0]), S=2, C=2)
    out["empty"] = f(torch.zeros(0, 4), torch.zeros(0, dtype=torch.int64), S=3, C=2)
    for k, (S, C, K) in enumerate([(7, 20, 6), (3, 4, 5), (13, 10, 12)]):
        out[f"random{k}"] = f(random_cxcywh(g, K), torch.randint(0, C, (K,), generator=g), S=S, C=C)
    out["float64"] = f(random_cxcywh(g, 2, torch.float64), torch.tensor([1, 0]), S=4, C=2)
    boxes = torch.tensor([[0.5, 0.5, 0.2, 0.2]])
    f(boxes, torch.tensor([0]), S=3, C=2)
    out["unchanged"] = torch.equal(boxes, torch.tensor([[0.5, 0.5, 0.2, 0.2]]))
    out["whole_image"] = f(torch.tensor([[0.5, 0.5, 1.0, 1.0]]), torch.tensor([0]), S=3, C=2)
    one = torch.tensor([0])
    bad = [(torch.tensor([0.5, 0.5, 0.2, 0.2]), one), (torch.tensor([[0.5, 0.5, 0.2, 0.2, 1.0]]), one),
           (torch.tensor([[-0.1, 0.5, 0.2, 0.2]]), one), (torch.tensor([[0.5, 1.01, 0.2, 0.2]]), one),
           (torch.tensor([[0.5, 0.5, 0.0, 0.2]]), one), (torch.tensor([[0.5, 0.5, 0.2, 1.5]]), one),
           (torch.tensor([[0.5, 0.5, -0.2, 0.2]]), one), (boxes, torch.tensor([2])),
           (boxes, torch.tensor([-1])), (boxes, torch.tensor([0, 1])), (torch.cat([boxes, boxes]), one)]
    out["raises"] = [raises(f, b, labels, S=3, C=2) for b, labels in bad]
    return out


def build_targets_values(ns, g):
    f = ns["build_targets"]
    boxes = [torch.cat([rand(g, k, 2), rand(g, k, 2) * 0.5 + 0.1], dim=1) for k in (3, 1, 4)]
    labels = [torch.randint(0, 5, (k,), generator=g) for k in (3, 1, 4)]
    return {"batch": f(boxes, labels, S=4, C=5),
            "raises": raises(f, boxes, labels[:2], S=4, C=5)}


def decode_boxes_values(ns, g):
    f, out = ns["decode_boxes"], {}
    for k, (N, S, B) in enumerate([(2, 7, 2), (3, 4, 3), (1, 5, 1)]):
        out[f"random{k}"] = f(randn(g, N, S, S, B, 4), S=S)
    p = randn(g, 2, 3, 3, 2, 4).requires_grad_()
    y = f(p, S=3)
    (y * randn(g, *y.shape)).sum().backward()
    out["grad"] = p.grad if p.grad is not None else torch.full(p.shape, float("nan"))
    out["float64"] = f(torch.randn(1, 3, 3, 2, 4, generator=g, dtype=torch.float64), S=3)
    return out


def one_object():
    targets = torch.zeros(1, 2, 2, 8)
    targets[0, 0, 1] = torch.tensor([0.5, 0.5, 0.25, 0.36, 1.0, 0.0, 1.0, 0.0])
    perfect = torch.zeros(1, 2, 2, 13)
    perfect[0, 0, 1, :5] = torch.tensor([0.5, 0.5, 0.5, 0.6, 1.0])
    perfect[0, 0, 1, 10:] = torch.tensor([0.0, 1.0, 0.0])
    return targets, perfect


def random_targets(g, N, S, C, fill):
    t = torch.zeros(N, S, S, 5 + C)
    mask = rand(g, N, S, S) < fill
    t[..., :2] = rand(g, N, S, S, 2)
    t[..., 2:4] = rand(g, N, S, S, 2) * 0.6 + 0.05
    t[..., 4] = 1.0
    t[..., 5:] = torch.nn.functional.one_hot(torch.randint(0, C, (N, S, S), generator=g), C).float()
    return t * mask[..., None]


def random_preds(g, N, S, B, C):
    p = rand(g, N, S, S, B * 5 + C)
    p[..., [5 * b + 2 for b in range(B)] + [5 * b + 3 for b in range(B)]] *= 0.8
    return p


def yolo_loss_terms_values(ns, g):
    """Each term, the lambdas and the division by N (yolo_loss_tests)."""
    f, out = ns["yolo_loss"], {}
    targets, perfect = one_object()
    cases = {"perfect": {}, "x": {0: 0.6, 4: 2 / 3}, "sqrt_w": {2: 0.6, 4: 0.09 / 0.1296},
             "conf": {4: 0.7}, "conf_vs_iou": {0: 0.6, 4: 1.0}, "noobj": {0: 0.6, 4: 2 / 3, 9: 0.4},
             "class": {10: 0.2, 11: 0.5, 12: 0.1}, "all": {0: 0.6, 4: 0.5, 9: 0.4, 10: 0.3}}
    for name, slots in cases.items():
        p = perfect.clone()
        for slot, value in slots.items():
            p[0, 0, 1, slot] = value
        out[name] = f(p, targets, S=2, B=2, C=3)
        if name == "noobj":
            out["lambdas"] = f(p, targets, S=2, B=2, C=3, lambda_coord=2.0, lambda_noobj=1.0)
            out["lambdas0"] = f(p, targets, S=2, B=2, C=3, lambda_coord=0.0, lambda_noobj=0.0)
        if name == "all":
            out["times3"] = f(torch.cat([p, p, p]), torch.cat([targets] * 3), S=2, B=2, C=3)
            out["with_perfect"] = f(torch.cat([p, perfect]), torch.cat([targets] * 2), S=2, B=2, C=3)
    p = perfect.clone()
    p[0, 1, 1, :5] = torch.tensor([0.3, 0.9, 0.7, 0.2, 0.0])
    p[0, 1, 1, 10:] = torch.tensor([0.5, 0.5, 0.5])
    out["empty_cell"] = f(p, targets, S=2, B=2, C=3)
    p[0, 1, 1, 4] = 1.0
    out["empty_cell_confident"] = f(p, targets, S=2, B=2, C=3)
    # (random batches belong to yolo_loss_gradient_tests: a probe checks only what its cells check,
    # or an honest mistake caught by another cell would look like tampering here)
    return out


def yolo_loss_responsible_values(ns, g):
    """Responsibility by IoU, ties to predictor 0, B = 3 (yolo_loss_responsible_tests)."""
    f, out = ns["yolo_loss"], {}
    targets, perfect = one_object()
    for k, row in enumerate([[0.6, 0.5, 0.5, 0.6, 0.0, 0.5, 0.5, 0.5, 0.6, 1.0],
                             [0.6, 0.5, 0.5, 0.6, 0.5, 0.5, 0.5, 0.5, 0.6, 0.8],
                             [0.5, 0.5, 0.0, 0.0, 0.3, 0.2, 0.1, 0.0, 0.0, 0.4],
                             [0.5, 0.5, 0.5, 0.6, 0.9, 0.5, 0.5, 0.5, 0.6, 0.3]]):
        p = perfect.clone()
        p[0, 0, 1, :10] = torch.tensor(row)
        out[f"case{k}"] = f(p, targets, S=2, B=2, C=3)
    p3 = torch.zeros(1, 2, 2, 18)
    p3[0, 0, 1, :15] = torch.tensor([0.9, 0.1, 0.3, 0.3, 0.2, 0.55, 0.5, 0.5, 0.6, 0.0,
                                     0.1, 0.9, 0.8, 0.1, 0.3])
    p3[0, 0, 1, 15:] = torch.tensor([0.0, 1.0, 0.0])
    out["b3"] = f(p3, targets, S=2, B=3, C=3)
    return out


def yolo_loss_gradient_values(ns, g):
    """Random batches: value and gradient, no gradient through the IoU (yolo_loss_gradient_tests)."""
    f, out = ns["yolo_loss"], {}
    for k, (N, S, B, C, lc, ln) in enumerate([(2, 3, 2, 3, 5.0, 0.5), (3, 4, 2, 4, 2.0, 0.1),
                                              (2, 3, 3, 2, 5.0, 0.5), (1, 7, 2, 20, 5.0, 0.5)]):
        targets = random_targets(g, N, S, C, 0.4)
        p = random_preds(g, N, S, B, C).requires_grad_()
        loss = f(p, targets, S=S, B=B, C=C, lambda_coord=lc, lambda_noobj=ln)
        loss.backward()
        out[f"loss{k}"] = loss.detach()
        out[f"grad{k}"] = p.grad if p.grad is not None else torch.full(p.shape, float("nan"))
    return out


def nms_values(ns, g):
    f, out = ns["nms"], {}

    def boxes(n, scale=10.0):
        lo = rand(g, n, 2) * scale
        return torch.cat([lo, lo + rand(g, n, 2) * scale * 0.5 + 0.1], dim=1)

    for k, (n, threshold) in enumerate([(30, 0.5), (60, 0.3), (60, 0.7), (12, 0.0), (40, 0.9), (1, 0.5)]):
        b, s = boxes(n), rand(g, n)
        b0, s0 = b.clone(), s.clone()
        out[f"random{k}"] = f(b, s, threshold)
        out[f"unchanged{k}"] = torch.equal(b, b0) and torch.equal(s, s0)
    b = torch.tensor([[0.0, 0.0, 2.0, 1.0], [0.0, 0.0, 1.0, 1.0], [1.0, 0.0, 4.0, 1.0], [0.0, 0.0, 3.0, 1.0]])
    out["at_threshold"] = f(b[:2], torch.tensor([0.9, 0.8]), 0.5)
    out["at_threshold_reversed"] = f(b[2:], torch.tensor([0.6, 0.7]), 0.5)
    out["above_threshold"] = f(b[:2], torch.tensor([0.9, 0.8]), 0.49)
    chain = torch.tensor([[0.0, 0.0, 4.0, 4.0], [2.0, 0.0, 6.0, 4.0], [4.0, 0.0, 8.0, 4.0]])
    for k, scores in enumerate([[0.9, 0.8, 0.7], [0.7, 0.8, 0.9], [0.7, 0.9, 0.8]]):
        out[f"chain{k}"] = f(chain, torch.tensor(scores), 0.3)
    for k, (n, threshold) in enumerate([(50, 0.5), (25, 0.0)]):
        out[f"ties{k}"] = f(boxes(n), torch.randint(0, 3, (n,), generator=g) / 3, threshold)
    kept = f(boxes(5), rand(g, 5), 0.5)
    out["type"] = type(kept) is torch.Tensor and kept.dtype == torch.int64 and kept.dim() == 1
    return out


def postprocess_values(ns, g):
    """The edge cases of postprocess_tests only: random batches would also test the student's nms
    through postprocess, which postprocess_tests does not (an honest nms mistake lost its points in
    nms_tests already, and must not be reported as tampering here)."""
    f, out = ns["postprocess"], {}
    p = torch.zeros(1, 2, 2, 7)
    p[0, 0, 0, :5] = torch.tensor([0.5, 0.5, 0.6, 0.6, 0.9])
    p[0, 0, 0, 5:] = torch.tensor([1.0, 0.0])
    p[0, 0, 1, :5] = torch.tensor([-0.5, 0.5, 0.6, 0.6, 0.8])
    p[0, 0, 1, 5:] = torch.tensor([0.0, 1.0])
    out["per_class"] = f(p, S=2, B=1, C=2)[0]["labels"]
    p[0, 0, 1, 5:] = torch.tensor([1.0, 0.0])
    out["same_class"] = f(p, S=2, B=1, C=2)[0]["labels"]
    p = torch.zeros(1, 1, 1, 7)
    p[0, 0, 0] = torch.tensor([0.5, 0.5, 0.5, 0.5, 0.9, 0.15, 0.1])
    out["dropped"] = f(p, S=1, B=1, C=2)[0]["scores"]
    p[0, 0, 0, 5] = 0.5
    out["score"] = f(p, S=1, B=1, C=2)[0]["scores"]
    p = torch.zeros(1, 1, 1, 7)
    p[0, 0, 0] = torch.tensor([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.25])
    out["at_threshold"] = f(p, S=1, B=1, C=2, score_threshold=0.25)[0]["scores"]
    out["none"] = f(torch.zeros(2, 3, 3, 13), S=3, B=2, C=3)[1]["labels"]
    return out


PROBES = [
    Probe("split_predictions", split_predictions_values, {}),
    Probe("cxcywh_to_xyxy", conversion_values("cxcywh_to_xyxy"), {}),
    Probe("xyxy_to_cxcywh", conversion_values("xyxy_to_cxcywh"), {}),
    Probe("box_iou", box_iou_values, {}),
    Probe("encode_targets", encode_targets_values, {}),
    Probe("build_targets", build_targets_values, {}),
    Probe("decode_boxes", decode_boxes_values, {}),
    Probe("yolo_loss", yolo_loss_terms_values, {"cells": ["yolo_loss_tests"]}),
    Probe("yolo_loss", yolo_loss_responsible_values, {"cells": ["yolo_loss_responsible_tests"]}),
    Probe("yolo_loss", yolo_loss_gradient_values, {"cells": ["yolo_loss_gradient_tests"], "atol": 1e-4}),
    Probe("nms", nms_values, {}),
    Probe("postprocess", postprocess_values, {}),
]
