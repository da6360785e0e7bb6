"""ResNet18 with nn.AvgPool2d(7) in the head: right for 224x224 images only, not adaptive."""

TARGET = "ResNet18"
PATCH = [("self.avgpool = nn.AdaptiveAvgPool2d((1, 1))", "self.avgpool = nn.AvgPool2d(7)")]
