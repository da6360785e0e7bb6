"""crop_boxes moves x by `top` and y by `left` (rows and columns mixed up)."""

TARGET = "crop_boxes"
PATCH = [("torch.stack([(x1 - left).clamp(0, width), (y1 - top).clamp(0, height),\n"
          "                         (x2 - left).clamp(0, width), (y2 - top).clamp(0, height)], dim=1)",
          "torch.stack([(x1 - top).clamp(0, width), (y1 - left).clamp(0, height),\n"
          "                         (x2 - top).clamp(0, width), (y2 - left).clamp(0, height)], dim=1)")]
