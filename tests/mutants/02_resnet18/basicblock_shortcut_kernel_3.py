"""BasicBlock whose projection shortcut is a 3x3 convolution (padding 1) instead of a 1x1 convolution."""

TARGET = "BasicBlock"
PATCH = [("nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False)",
          "nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)")]
