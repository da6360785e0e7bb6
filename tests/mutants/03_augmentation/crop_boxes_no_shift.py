"""crop_boxes clips the boxes to the window but forgets to move them by the window's corner (left, top)."""

TARGET = "crop_boxes"
PATCH = [("torch.stack([(x1 - left).clamp(0, width), (y1 - top).clamp(0, height),\n"
          "                         (x2 - left).clamp(0, width), (y2 - top).clamp(0, height)], dim=1)",
          "torch.stack([x1.clamp(0, width), y1.clamp(0, height), x2.clamp(0, width), y2.clamp(0, height)], dim=1)")]
