"""xyxy_to_cxcywh takes (x2 - x1) / 2 as the centre: the half-width, not the midpoint."""


def xyxy_to_cxcywh(boxes):
    x1, y1, x2, y2 = boxes.unbind(-1)
    return torch.stack([(x2 - x1) / 2, (y2 - y1) / 2, x2 - x1, y2 - y1], dim=-1)
