"""BatchNorm1d updating the running variance with the biased batch variance (PyTorch uses n/(n-1))."""

TARGET = "batchnorm1d_train"
PATCH = [("\n    n = x.shape[0]", ""),
         ("running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))", "running_var.mul_(1 - momentum).add_(momentum * var)")]
