"""crop_boxes shifts the boxes but never clips them to the window: parts outside the crop stay."""

TARGET = "crop_boxes"
PATCH = [("torch.stack([(x1 - left).clamp(0, width), (y1 - top).clamp(0, height),\n"
          "                         (x2 - left).clamp(0, width), (y2 - top).clamp(0, height)], dim=1)",
          "torch.stack([x1 - left, y1 - top, x2 - left, y2 - top], dim=1)")]
