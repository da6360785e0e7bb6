"""roi_align interpolates sample points far outside the map (y < -1 or y > H) instead of giving them 0."""

TARGET = "roi_align"
PATCH = [("    value = value * (y_ok[:, None, :, None] & x_ok[:, None, None, :])\n", "")]
