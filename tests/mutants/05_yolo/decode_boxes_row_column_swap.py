"""decode_boxes adds the row index to x and the column index to y (row/column swap)."""

TARGET = "decode_boxes"
PATCH = [("cx = (cols + box_preds[..., 0]) / S", "cx = (rows + box_preds[..., 0]) / S"),
         ("cy = (rows + box_preds[..., 1]) / S", "cy = (cols + box_preds[..., 1]) / S")]
