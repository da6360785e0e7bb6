"""split_predictions reads the box slots coordinate-major [x_1..x_B, y_1..y_B, ...], not per predictor."""


def split_predictions(preds, B=2, C=20):
    boxes = preds[..., :B * 5].reshape(*preds.shape[:-1], 5, B).transpose(-1, -2)
    class_probs = preds[..., B * 5:]
    return boxes, class_probs
