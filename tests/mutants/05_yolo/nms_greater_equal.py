"""nms suppresses boxes whose IoU equals the threshold too (>= instead of >)."""


def nms(boxes, scores, iou_threshold):
    order = torch.argsort(scores, descending=True)
    ious = box_iou(boxes, boxes)
    removed = torch.zeros(boxes.shape[0], dtype=torch.bool)
    keep = []
    for index in order.tolist():
        if removed[index]:
            continue
        keep.append(index)
        removed |= ious[index] >= iou_threshold
    return torch.tensor(keep, dtype=torch.int64)
