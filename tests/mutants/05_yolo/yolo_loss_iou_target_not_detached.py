"""yolo_loss computes the IoU target with gradients on: the confidence term pushes the box coordinates too."""

TARGET = "yolo_loss"
PATCH = [("with torch.no_grad():", "if True:")]
