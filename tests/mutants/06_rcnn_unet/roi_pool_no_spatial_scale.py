"""roi_pool uses the RoI's input-pixel coordinates on the feature map, forgetting spatial_scale."""

TARGET = "roi_pool"
PATCH = [("scaled = rois[:, 1:] * spatial_scale", "scaled = rois[:, 1:]")]
