"""crop_boxes drops the boxes that left the window but returns every label: labels no longer match boxes."""

TARGET = "crop_boxes"
PATCH = [("return moved[keep], labels[keep]", "return moved[keep], labels.clone()")]
