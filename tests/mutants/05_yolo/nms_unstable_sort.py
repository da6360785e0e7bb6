"""nms orders the boxes with an unstable sort: among tied scores, a different box may be kept than in torchvision.ops.nms."""

TARGET = "nms"
PATCH = [("torch.argsort(scores, descending=True, stable=True)", "torch.argsort(scores, descending=True)")]
