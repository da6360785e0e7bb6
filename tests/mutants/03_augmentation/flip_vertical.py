"""random_horizontal_flip mirrors the images upside down (flip(-2), along the height) instead of left-right."""

TARGET = "random_horizontal_flip"
PATCH = [("images.flip(-1), images)", "images.flip(-2), images)")]
