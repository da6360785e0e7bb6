"""ResNet18 whose stem always expects 3 input channels: the in_channels argument is ignored."""

TARGET = "ResNet18"
PATCH = [("self.conv1 = nn.Conv2d(in_channels, 64, 3, stride=1, padding=1, bias=False)", "self.conv1 = nn.Conv2d(3, 64, 3, stride=1, padding=1, bias=False)"),
         ("self.conv1 = nn.Conv2d(in_channels, 64, 7, stride=2, padding=3, bias=False)", "self.conv1 = nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)")]
