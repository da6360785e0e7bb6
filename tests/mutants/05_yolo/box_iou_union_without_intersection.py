"""box_iou divides by the sum of the two areas, forgetting to subtract the intersection (union double-counts it)."""

TARGET = "box_iou"
PATCH = [("inter / (area1[:, None] + area2[None, :] - inter)", "inter / (area1[:, None] + area2[None, :])")]
