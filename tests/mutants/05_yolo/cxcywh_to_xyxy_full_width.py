"""cxcywh_to_xyxy subtracts and adds the full width and height instead of half of them."""


def cxcywh_to_xyxy(boxes):
    cx, cy, w, h = boxes.unbind(-1)
    return torch.stack([cx - w, cy - h, cx + w, cy + h], dim=-1)
