"""crop_boxes keeps a box only when it is larger than min_size: a box exactly min_size wide is dropped."""

TARGET = "crop_boxes"
PATCH = [("keep = (moved[:, 2] - moved[:, 0] >= min_size) & (moved[:, 3] - moved[:, 1] >= min_size)",
          "keep = (moved[:, 2] - moved[:, 0] > min_size) & (moved[:, 3] - moved[:, 1] > min_size)")]
