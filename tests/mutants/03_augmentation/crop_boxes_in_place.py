"""crop_boxes shifts and clips the caller's boxes tensor in place before selecting from it."""

TARGET = "crop_boxes"
PATCH = [("    x1, y1, x2, y2 = boxes.unbind(dim=1)\n",
          "    boxes -= torch.tensor([left, top, left, top], dtype=boxes.dtype)\n"
          "    x1, y1, x2, y2 = boxes.unbind(dim=1)\n"
          "    left = top = 0\n")]
