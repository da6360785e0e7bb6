"""mean_iou gives a class in neither map IoU 0 (and counts it in the mean) instead of leaving it out."""

TARGET = "mean_iou"
PATCH = [("torch.full_like(inter, math.nan)", "torch.zeros_like(inter)")]
