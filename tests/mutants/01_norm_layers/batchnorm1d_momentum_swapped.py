"""BatchNorm1d with Keras's momentum convention: keeps `momentum` of the old running statistics."""

TARGET = "batchnorm1d_train"
PATCH = [("running_mean.mul_(1 - momentum).add_(momentum * mean)", "running_mean.mul_(momentum).add_((1 - momentum) * mean)"),
         ("running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))", "running_var.mul_(momentum).add_((1 - momentum) * var * n / (n - 1))")]
