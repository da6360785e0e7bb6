"""BasicBlock with the slide's conv bias before BatchNorm: bias=True on convolutions that BN follows.

The biases are redundant (BatchNorm subtracts the batch mean) and the state_dict gains keys that
torchvision's does not have, so its weights no longer load with strict=True.
"""

TARGET = "BasicBlock"
PATCH = [("self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)", "self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1)"),
         ("self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)", "self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1)"),
         ("self.downsample = nn.Sequential(\n                nn.Conv2d(in_channels, out_channels, 1, stride=stride, bias=False),\n                nn.BatchNorm2d(out_channels))", "self.downsample = nn.Sequential(nn.Conv2d(in_channels, out_channels, 1, stride=stride),\n                                            nn.BatchNorm2d(out_channels))")]
