"""make_anchors centres the anchors on the middle of each location, (j + 0.5) * stride, not on its top-left corner as torchvision does."""

TARGET = "make_anchors"
PATCH = [("ys = torch.arange(H, dtype=torch.float32) * stride_y", "ys = (torch.arange(H, dtype=torch.float32) + 0.5) * stride_y"),
         ("xs = torch.arange(W, dtype=torch.float32) * stride_x", "xs = (torch.arange(W, dtype=torch.float32) + 0.5) * stride_x")]
