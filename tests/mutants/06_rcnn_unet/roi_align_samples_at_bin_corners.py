"""roi_align samples each bin at the corners of its sub-grid instead of the sub-cells' centres."""

TARGET = "roi_align"
PATCH = [("return start[:, None] + (steps + 0.5) * (length", "return start[:, None] + steps * (length")]
