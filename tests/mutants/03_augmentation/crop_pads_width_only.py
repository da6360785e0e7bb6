"""random_crop pads only the left and right sides ((padding,) * 2 pads the last dimension only)."""

TARGET = "random_crop"
PATCH = [("F.pad(images, (padding,) * 4, mode=padding_mode)", "F.pad(images, (padding,) * 2, mode=padding_mode)")]
