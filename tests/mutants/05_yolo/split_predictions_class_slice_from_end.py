"""split_predictions takes the class scores as the last C + 1 slots (an off-by-one in the slice)."""

TARGET = "split_predictions"
PATCH = [("class_probs = preds[..., B * 5:B * 5 + C]", "class_probs = preds[..., B * 5 - 1:B * 5 + C]")]
