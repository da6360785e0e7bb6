"""UNet downsamples with average pooling instead of max pooling."""

TARGET = "UNet"
PATCH = [("x = F.max_pool2d(x, 2)", "x = F.avg_pool2d(x, 2)")]
