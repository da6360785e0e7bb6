"""box_iou with the "+1" pixel convention in widths and heights, wrong for real-valued corners."""

TARGET = "box_iou"
PATCH = [("area1 = (boxes1[:, 2] - boxes1[:, 0]) * (boxes1[:, 3] - boxes1[:, 1])", "area1 = (boxes1[:, 2] - boxes1[:, 0] + 1) * (boxes1[:, 3] - boxes1[:, 1] + 1)"),
         ("area2 = (boxes2[:, 2] - boxes2[:, 0]) * (boxes2[:, 3] - boxes2[:, 1])", "area2 = (boxes2[:, 2] - boxes2[:, 0] + 1) * (boxes2[:, 3] - boxes2[:, 1] + 1)"),
         ("sides = (bottom_right - top_left).clamp(min=0)", "sides = (bottom_right - top_left + 1).clamp(min=0)")]
