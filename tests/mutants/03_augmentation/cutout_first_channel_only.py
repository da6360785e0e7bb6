"""cutout zeroes the square in the first channel only."""

TARGET = "cutout"
PATCH = [("return images.masked_fill(square[:, None], 0)",
          "out = images.clone()\n    out[:, 0] = out[:, 0].masked_fill(square, 0)\n    return out")]
