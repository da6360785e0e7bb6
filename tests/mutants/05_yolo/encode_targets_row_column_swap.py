"""encode_targets takes the row from cx and the column from cy (row/column swap)."""

TARGET = "encode_targets"
BASE = "encode_targets_stacked"
PATCH = [("i = min(int(cy * S), S - 1)", "i = min(int(cx * S), S - 1)"),
         ("j = min(int(cx * S), S - 1)", "j = min(int(cy * S), S - 1)"),
         ("torch.stack([cx * S - j, cy * S - i,", "torch.stack([cx * S - i, cy * S - j,")]
