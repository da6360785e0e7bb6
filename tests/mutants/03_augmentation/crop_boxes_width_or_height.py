"""crop_boxes keeps a box when its width OR its height reaches min_size: flat slivers survive."""

TARGET = "crop_boxes"
PATCH = [("keep = (moved[:, 2] - moved[:, 0] >= min_size) & (moved[:, 3] - moved[:, 1] >= min_size)",
          "keep = (moved[:, 2] - moved[:, 0] >= min_size) | (moved[:, 3] - moved[:, 1] >= min_size)")]
