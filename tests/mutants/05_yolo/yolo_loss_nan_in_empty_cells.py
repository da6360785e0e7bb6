"""yolo_loss divides by the union in every cell: 0 / 0 = nan in cells without an object, and multiplying by a 0 mask keeps nan."""

TARGET = "yolo_loss"
PATCH = [("ious = torch.where(has_object[..., None], inter / union.clamp(min=1e-12), torch.zeros_like(inter))",
          "ious = inter / union")]
