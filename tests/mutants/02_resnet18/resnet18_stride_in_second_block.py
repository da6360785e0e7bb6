"""ResNet18 with each stage's stride 2 on its second block instead of its first (wrong stride placement)."""

TARGET = "ResNet18"
PATCH = [("self.layer2 = nn.Sequential(BasicBlock(64, 128, stride=2), BasicBlock(128, 128))", "self.layer2 = nn.Sequential(BasicBlock(64, 128), BasicBlock(128, 128, stride=2))"),
         ("self.layer3 = nn.Sequential(BasicBlock(128, 256, stride=2), BasicBlock(256, 256))", "self.layer3 = nn.Sequential(BasicBlock(128, 256), BasicBlock(256, 256, stride=2))"),
         ("self.layer4 = nn.Sequential(BasicBlock(256, 512, stride=2), BasicBlock(512, 512))", "self.layer4 = nn.Sequential(BasicBlock(256, 512), BasicBlock(512, 512, stride=2))")]
