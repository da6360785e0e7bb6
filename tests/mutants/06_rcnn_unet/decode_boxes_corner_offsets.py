"""decode_boxes adds the offsets to the anchor's top-left corner instead of its centre."""

TARGET = "decode_boxes"
PATCH = [("cx, cy = dx * aw + ax, dy * ah + ay", "cx, cy = dx * aw + anchors[:, 0], dy * ah + anchors[:, 1]")]
