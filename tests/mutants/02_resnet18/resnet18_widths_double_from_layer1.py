"""ResNet18 with wrong widths 128/256/512/1024 (each stage doubles the stem's 64), not 64/128/256/512."""

TARGET = "ResNet18"
PATCH = [("self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))", "self.layer1 = nn.Sequential(BasicBlock(64, 128), BasicBlock(128, 128))"),
         ("self.layer2 = nn.Sequential(BasicBlock(64, 128, stride=2), BasicBlock(128, 128))", "self.layer2 = nn.Sequential(BasicBlock(128, 256, stride=2), BasicBlock(256, 256))"),
         ("self.layer3 = nn.Sequential(BasicBlock(128, 256, stride=2), BasicBlock(256, 256))", "self.layer3 = nn.Sequential(BasicBlock(256, 512, stride=2), BasicBlock(512, 512))"),
         ("self.layer4 = nn.Sequential(BasicBlock(256, 512, stride=2), BasicBlock(512, 512))", "self.layer4 = nn.Sequential(BasicBlock(512, 1024, stride=2), BasicBlock(1024, 1024))"),
         ("self.fc = nn.Linear(512, num_classes)", "self.fc = nn.Linear(1024, num_classes)")]
