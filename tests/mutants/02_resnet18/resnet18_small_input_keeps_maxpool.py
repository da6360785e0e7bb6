"""ResNet18(small_input=True) that swaps the stem convolution but keeps the stride-2 max-pool."""

TARGET = "ResNet18"
PATCH = [("self.maxpool = nn.Identity() if small_input else nn.MaxPool2d(3, stride=2, padding=1)", "self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)")]
