"""BasicBlock that always projects the shortcut (1x1 conv + BN), even when the identity would do."""

TARGET = "BasicBlock"
PATCH = [("self.downsample = None\n        if stride != 1 or in_channels != out_channels:\n            self.downsample = nn.Sequential(\n                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),\n                nn.BatchNorm2d(out_channels))", "self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),\n                                        nn.BatchNorm2d(out_channels))"),
         ("shortcut = x if self.downsample is None else self.downsample(x)", "shortcut = self.downsample(x)")]
