"""BatchNorm1d updating the running statistics in place from the undetached batch statistics.

Their values are right, but they now carry the batch's gradient history (memory grows with every
step, and a backward pass in evaluation mode reaches into freed graphs)."""

TARGET = "batchnorm1d_train"
PATCH = [("    with torch.no_grad():\n"
          "        running_mean.mul_(1 - momentum).add_(momentum * mean)\n"
          "        running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))",
          "    running_mean.mul_(1 - momentum).add_(momentum * mean)\n"
          "    running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))")]
