"""encode_targets written shorter than the reference: terse error messages, one range check for the
centres and the sizes, and a cell's x, y, w, h, 1 written with one torch.stack. Correct: the same
targets as the reference, and a ValueError for the same bad inputs."""


def encode_targets(boxes, labels, S=7, C=20):
    if not isinstance(boxes, torch.Tensor) or boxes.dim() != 2 or boxes.shape[1] != 4:
        raise ValueError("boxes must be a tensor [K, 4]")
    if not isinstance(labels, torch.Tensor) or labels.shape != (boxes.shape[0],):
        raise ValueError("labels must be a tensor [K]")
    if ((boxes[:, :2] < 0) | (boxes[:, :2] > 1)).any() or ((boxes[:, 2:] <= 0) | (boxes[:, 2:] > 1)).any():
        raise ValueError("box out of range")
    if ((labels < 0) | (labels >= C)).any():
        raise ValueError("label out of range")
    target = torch.zeros(S, S, 5 + C, dtype=boxes.dtype)
    for (cx, cy, w, h), label in zip(boxes, labels.tolist(), strict=False):
        i = min(int(cy * S), S - 1)
        j = min(int(cx * S), S - 1)
        if target[i, j, 4] == 1:
            continue
        target[i, j, :5] = torch.stack([cx * S - j, cy * S - i, w, h, torch.ones_like(w)])
        target[i, j, 5 + label] = 1
    return target
