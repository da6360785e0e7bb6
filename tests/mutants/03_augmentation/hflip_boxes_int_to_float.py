"""hflip_boxes converts the result to float32, so integer (or float64) boxes change dtype."""

TARGET = "hflip_boxes"
PATCH = [("return torch.stack([image_width - x2, y1, image_width - x1, y2], dim=1)",
          "return torch.stack([image_width - x2, y1, image_width - x1, y2], dim=1).float()")]
