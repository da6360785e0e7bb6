"""BatchNorm2d assigning new running statistics to the local names: the caller's tensors never change."""

TARGET = "batchnorm2d_train"
PATCH = [("        running_mean.mul_(1 - momentum).add_(momentum * mean)\n"
          "        running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))",
          "        running_mean = (1 - momentum) * running_mean + momentum * mean\n"
          "        running_var = (1 - momentum) * running_var + momentum * var * n / (n - 1)")]
