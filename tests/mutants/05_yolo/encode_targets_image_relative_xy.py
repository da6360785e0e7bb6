"""encode_targets stores the image-relative centre (cx, cy) instead of the offset inside the cell."""

TARGET = "encode_targets"
BASE = "encode_targets_stacked"
PATCH = [("torch.stack([cx * S - j, cy * S - i,", "torch.stack([cx, cy,")]
