"""ResNet18 built by torchvision.models.resnet18 (the shortcut the exercise forbids): every module taken from
torchvision's network but the stem's convolution (and the small-input max-pool), adapted by hand."""

TARGET = "ResNet18"
PATCH = [("        self.bn1 = nn.BatchNorm2d(64)\n"
          "        self.relu = nn.ReLU(inplace=True)\n"
          "        self.maxpool = nn.Identity() if small_input else nn.MaxPool2d(3, stride=2, padding=1)\n"
          "        self.layer1 = nn.Sequential(BasicBlock(64, 64), BasicBlock(64, 64))\n"
          "        self.layer2 = nn.Sequential(BasicBlock(64, 128, stride=2), BasicBlock(128, 128))\n"
          "        self.layer3 = nn.Sequential(BasicBlock(128, 256, stride=2), BasicBlock(256, 256))\n"
          "        self.layer4 = nn.Sequential(BasicBlock(256, 512, stride=2), BasicBlock(512, 512))\n"
          "        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))\n"
          "        self.fc = nn.Linear(512, num_classes)",
          "        model = torchvision.models.resnet18(weights=None, num_classes=num_classes)\n"
          "        for name in ('bn1', 'relu', 'maxpool', 'layer1', 'layer2', 'layer3', 'layer4', 'avgpool', 'fc'):\n"
          "            setattr(self, name, getattr(model, name))\n"
          "        if small_input:\n"
          "            self.maxpool = nn.Identity()")]
