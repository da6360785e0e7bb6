"""BatchNorm2d correcting the running variance with B/(B-1) instead of n/(n-1) where n = B*H*W."""

TARGET = "batchnorm2d_train"
PATCH = [("n = x.shape[0] * x.shape[2] * x.shape[3]", "n = x.shape[0]")]
