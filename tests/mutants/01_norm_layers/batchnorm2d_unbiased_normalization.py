"""BatchNorm2d normalizing with torch.var's default, the unbiased variance, instead of the biased one."""

TARGET = "batchnorm2d_train"
PATCH = [("var = x.var(dim=(0, 2, 3), unbiased=False)", "var = x.var(dim=(0, 2, 3))")]
