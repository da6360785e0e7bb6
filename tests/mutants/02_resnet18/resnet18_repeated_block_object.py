"""ResNet18 that builds layer1 as nn.Sequential(*[BasicBlock(64, 64)] * 2): one block object used twice."""

TARGET = "ResNet18"
PATCH = [("self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))",
          "self.layer1 = nn.Sequential(*[BasicBlock(64, 64)] * 2)")]
