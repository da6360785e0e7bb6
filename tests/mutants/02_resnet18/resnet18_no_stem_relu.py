"""ResNet18 whose forward skips the stem's ReLU: conv1, bn1, max-pool."""

TARGET = "ResNet18"
PATCH = [("x = self.maxpool(self.relu(self.bn1(self.conv1(x))))", "x = self.maxpool(self.bn1(self.conv1(x)))")]
