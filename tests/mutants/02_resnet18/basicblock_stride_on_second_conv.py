"""BasicBlock with the stride on the second 3x3 convolution instead of the first (wrong stride placement)."""

TARGET = "BasicBlock"
PATCH = [("self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=stride, padding=1, bias=False)", "self.conv1 = nn.Conv2d(in_channels, out_channels, 3, stride=1, padding=1, bias=False)"),
         ("self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=1, padding=1, bias=False)", "self.conv2 = nn.Conv2d(out_channels, out_channels, 3, stride=stride, padding=1, bias=False)")]
