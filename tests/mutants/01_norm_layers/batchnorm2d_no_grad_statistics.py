"""BatchNorm2d computing the batch mean and variance under torch.no_grad(): no gradient flows through them."""

TARGET = "batchnorm2d_train"
PATCH = [("    mean = x.mean(dim=(0, 2, 3))\n    var = x.var(dim=(0, 2, 3), unbiased=False)\n    with torch.no_grad():\n",
          "    with torch.no_grad():\n        mean = x.mean(dim=(0, 2, 3))\n        var = x.var(dim=(0, 2, 3), unbiased=False)\n")]
