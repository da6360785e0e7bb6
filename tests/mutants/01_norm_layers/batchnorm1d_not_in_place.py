"""BatchNorm1d rebinding the local names instead of updating the running statistics in place."""

TARGET = "batchnorm1d_train"
PATCH = [("with torch.no_grad():\n        running_mean.mul_(1 - momentum).add_(momentum * mean)\n        running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))", "running_mean = (1 - momentum) * running_mean + momentum * mean.detach()\n    running_var = (1 - momentum) * running_var + momentum * var.detach() * n / (n - 1)")]
