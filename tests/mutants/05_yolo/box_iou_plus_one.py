"""box_iou with the "+1" pixel convention in widths and heights, wrong for real-valued corners."""


def box_iou(boxes1, boxes2):
    area1 = (boxes1[:, 2] - boxes1[:, 0] + 1) * (boxes1[:, 3] - boxes1[:, 1] + 1)
    area2 = (boxes2[:, 2] - boxes2[:, 0] + 1) * (boxes2[:, 3] - boxes2[:, 1] + 1)
    top_left = torch.maximum(boxes1[:, None, :2], boxes2[None, :, :2])
    bottom_right = torch.minimum(boxes1[:, None, 2:], boxes2[None, :, 2:])
    sides = (bottom_right - top_left + 1).clamp(min=0)
    inter = sides[..., 0] * sides[..., 1]
    return inter / (area1[:, None] + area2[None, :] - inter)
