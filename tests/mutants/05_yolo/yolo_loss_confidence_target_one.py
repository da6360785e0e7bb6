"""yolo_loss regresses the responsible confidence to 1 instead of the IoU."""

TARGET = "yolo_loss"
PATCH = [("object_loss = (resp * (conf - ious) ** 2).sum()", "object_loss = (resp * (conf - 1) ** 2).sum()")]
