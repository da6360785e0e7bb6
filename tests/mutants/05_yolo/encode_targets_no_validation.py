"""encode_targets checks nothing: bad shapes, centres, sizes and labels pass or crash oddly."""


def encode_targets(boxes, labels, S=7, C=20):
    target = torch.zeros(S, S, 5 + C, dtype=boxes.dtype)
    for (cx, cy, w, h), label in zip(boxes, labels.tolist(), strict=False):
        i = min(int(cy * S), S - 1)
        j = min(int(cx * S), S - 1)
        if target[i, j, 4] == 1:
            continue
        target[i, j, :5] = torch.stack([cx * S - j, cy * S - i, w, h, torch.ones_like(w)])
        target[i, j, 5 + label] = 1
    return target
