"""ResNet18 that zero-initializes the classifier (fc): every logit is 0 at initialization, unlike torchvision."""

TARGET = "ResNet18"
PATCH = [("self.fc = nn.Linear(512, num_classes)",
          "self.fc = nn.Linear(512, num_classes)\n        nn.init.zeros_(self.fc.weight)\n        nn.init.zeros_(self.fc.bias)")]
