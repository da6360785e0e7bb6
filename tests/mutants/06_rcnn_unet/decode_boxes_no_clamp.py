"""decode_boxes does not clamp d_w and d_h at log(1000 / 16) before the exponential."""

TARGET = "decode_boxes"
PATCH = [("dw = (deltas[:, 2] / ww).clamp(max=BBOX_CLIP)", "dw = deltas[:, 2] / ww"),
         ("dh = (deltas[:, 3] / wh).clamp(max=BBOX_CLIP)", "dh = deltas[:, 3] / wh")]
