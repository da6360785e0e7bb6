"""decode_boxes uses the sqrt_w, sqrt_h slots as the width and height (forgets to square them)."""


def decode_boxes(box_preds, S=7):
    rows = torch.arange(S, dtype=box_preds.dtype).view(1, S, 1, 1)
    cols = torch.arange(S, dtype=box_preds.dtype).view(1, 1, S, 1)
    cx = (cols + box_preds[..., 0]) / S
    cy = (rows + box_preds[..., 1]) / S
    w, h = box_preds[..., 2], box_preds[..., 3]
    return torch.stack([cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2], dim=-1)
