"""yolo_loss makes predictor 0 responsible in every object cell (by position, not by IoU)."""

TARGET = "yolo_loss"
PATCH = [("responsible = F.one_hot(ious.argmax(dim=-1), B).bool() & has_object[..., None]", "first = torch.zeros_like(ious[..., 0], dtype=torch.long)\n        responsible = F.one_hot(first, B).bool() & has_object[..., None]")]
