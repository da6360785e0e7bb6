"""roi_pool treats the last cell x2 as outside the RoI: width x2 - x1 instead of x2 - x1 + 1."""

TARGET = "roi_pool"
PATCH = [("roi_w = (x2 - x1 + 1).clamp(min=1)", "roi_w = (x2 - x1).clamp(min=1)"),
         ("roi_h = (y2 - y1 + 1).clamp(min=1)", "roi_h = (y2 - y1).clamp(min=1)")]
