"""yolo_loss applies the no-object term to every predictor, the responsible one included."""

TARGET = "yolo_loss"
PATCH = [("noobj_loss = lambda_noobj * ((1 - resp) * conf ** 2).sum()", "noobj_loss = lambda_noobj * (conf ** 2).sum()")]
