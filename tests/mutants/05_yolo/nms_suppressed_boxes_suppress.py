"""nms lets every higher-scoring box suppress, even one that was itself suppressed already."""


def nms(boxes, scores, iou_threshold):
    order = torch.argsort(scores, descending=True)
    ious = box_iou(boxes, boxes)
    keep = []
    for rank, index in enumerate(order.tolist()):
        better = order[:rank]
        if rank == 0 or not bool((ious[index, better] > iou_threshold).any()):
            keep.append(index)
    return torch.tensor(keep, dtype=torch.int64)
