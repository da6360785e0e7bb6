"""dice_loss computes Dice per image and averages, instead of summing over every pixel of the batch."""

TARGET = "dice_loss"
PATCH = [("dims = (0, 2, 3)", "dims = (2, 3)")]
