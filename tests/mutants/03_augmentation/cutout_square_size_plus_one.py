"""cutout erases rows cy - size // 2 to cy + size // 2 inclusive: an even size gives a (size + 1)-wide square."""

TARGET = "cutout"
PATCH = [("(rows < top[:, None] + size)", "(rows <= centre_y[:, None] + size // 2)"),
         ("(cols < left[:, None] + size)", "(cols <= centre_x[:, None] + size // 2)")]
