"""make_anchors keeps the half-pixel corners of the base anchors instead of rounding them."""

TARGET = "make_anchors"
PATCH = [("base = (torch.stack([-ws, -hs, ws, hs], dim=1) / 2).round()", "base = torch.stack([-ws, -hs, ws, hs], dim=1) / 2")]
