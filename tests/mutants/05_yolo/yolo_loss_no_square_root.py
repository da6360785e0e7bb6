"""yolo_loss compares the sqrt_w, sqrt_h slots with w and h themselves (no square root of the target)."""

TARGET = "yolo_loss"
PATCH = [("coord = ((boxes[..., :4] - target_slots.unsqueeze(3)) ** 2).sum(dim=-1)", "coord = ((boxes[..., :4] - targets[..., :4].unsqueeze(3)) ** 2).sum(dim=-1)")]
