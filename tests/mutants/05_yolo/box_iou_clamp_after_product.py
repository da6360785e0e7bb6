"""box_iou clamps the intersection area instead of each side: two negative sides give a positive overlap."""

TARGET = "box_iou"
PATCH = [("sides = (bottom_right - top_left).clamp(min=0)", "sides = bottom_right - top_left"),
         ("inter = sides[..., 0] * sides[..., 1]", "inter = (sides[..., 0] * sides[..., 1]).clamp(min=0)")]
