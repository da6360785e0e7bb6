"""roi_align without the half-cell shift of aligned=True (the original Mask R-CNN version)."""

TARGET = "roi_align"
PATCH = [("x1, y1, x2, y2 = (rois[:, 1:] * spatial_scale - 0.5).unbind(dim=1)", "x1, y1, x2, y2 = (rois[:, 1:] * spatial_scale).unbind(dim=1)")]
