"""crop_boxes decides which boxes to keep from their size before clipping, so boxes outside the window stay."""

TARGET = "crop_boxes"
PATCH = [("keep = (moved[:, 2] - moved[:, 0] >= min_size) & (moved[:, 3] - moved[:, 1] >= min_size)",
          "keep = (x2 - x1 >= min_size) & (y2 - y1 >= min_size)")]
