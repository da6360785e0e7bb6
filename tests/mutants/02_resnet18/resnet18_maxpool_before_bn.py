"""ResNet18 with the slide's stem order: conv1, max-pool, then BatchNorm and ReLU.

In eval mode with positive BatchNorm scales this is the same function; in training mode BatchNorm
sees the statistics of the pooled map instead of the whole map.
"""

TARGET = "ResNet18"
PATCH = [("x = self.maxpool(self.relu(self.bn1(self.conv1(x))))", "x = self.relu(self.bn1(self.maxpool(self.conv1(x))))")]
