"""ResNet18(small_input=True) with a 3x3 stem convolution without padding: 32x32 images shrink to 30x30."""

TARGET = "ResNet18"
PATCH = [("nn.Conv2d(in_channels, 64, 3, stride=1, padding=1, bias=False)",
          "nn.Conv2d(in_channels, 64, 3, stride=1, bias=False)")]
