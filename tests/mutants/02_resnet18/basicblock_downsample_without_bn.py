"""BasicBlock whose projection shortcut is the 1x1 convolution alone, without its BatchNorm."""

TARGET = "BasicBlock"
PATCH = [("""            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),
                nn.BatchNorm2d(out_channels))""",
          """            self.downsample = nn.Sequential(
                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False))""")]
