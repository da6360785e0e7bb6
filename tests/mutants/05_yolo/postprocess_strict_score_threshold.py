"""postprocess drops a box whose score equals score_threshold (> instead of >=)."""

TARGET = "postprocess"
PATCH = [("keep = image_scores >= score_threshold", "keep = image_scores > score_threshold")]
