"""make_anchors orders each location's anchors size by size (then ratio by ratio) instead of ratio by ratio."""

TARGET = "make_anchors"
PATCH = [("ws = (sizes[None, :] / h_ratios[:, None]).reshape(-1)", "ws = (sizes[:, None] / h_ratios[None, :]).reshape(-1)"),
         ("hs = (sizes[None, :] * h_ratios[:, None]).reshape(-1)", "hs = (sizes[:, None] * h_ratios[None, :]).reshape(-1)")]
