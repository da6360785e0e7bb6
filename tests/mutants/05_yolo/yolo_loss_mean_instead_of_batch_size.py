"""yolo_loss averages over all cells (divides by N * S * S) instead of by the batch size N."""

TARGET = "yolo_loss"
PATCH = [("return (coord_loss + object_loss + noobj_loss + class_loss) / N", "return (coord_loss + object_loss + noobj_loss + class_loss) / (N * S * S)")]
