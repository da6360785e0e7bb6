"""make_anchors reads the ratio as width / height: wide anchors where torchvision makes tall ones."""

TARGET = "make_anchors"
PATCH = [("ws = (sizes[None, :] / h_ratios[:, None]).reshape(-1)", "ws = (sizes[None, :] * h_ratios[:, None]).reshape(-1)"),
         ("hs = (sizes[None, :] * h_ratios[:, None]).reshape(-1)", "hs = (sizes[None, :] / h_ratios[:, None]).reshape(-1)")]
