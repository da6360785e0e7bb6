"""BatchNorm1d dividing by the standard deviation plus eps, std + eps, instead of sqrt(var + eps)."""

TARGET = "batchnorm1d_train"
PATCH = [("(x - mean) / torch.sqrt(var + eps)", "(x - mean) / (torch.sqrt(var) + eps)")]
