"""dice_loss turns the scores into probabilities with a sigmoid per class instead of a softmax over classes."""

TARGET = "dice_loss"
PATCH = [("probs = logits.softmax(dim=1)", "probs = logits.sigmoid()")]
