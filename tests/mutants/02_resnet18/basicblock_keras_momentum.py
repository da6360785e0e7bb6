"""BasicBlock with Keras' BatchNorm momentum convention (momentum=0.9): running statistics move 9x too fast.

PyTorch's momentum is the weight of the new batch (0.1 by default), Keras' the weight of the old value.
"""

TARGET = "BasicBlock"
PATCH = [("self.bn1 = nn.BatchNorm2d(out_channels)", "self.bn1 = nn.BatchNorm2d(out_channels, momentum=0.9)"),
         ("self.bn2 = nn.BatchNorm2d(out_channels)", "self.bn2 = nn.BatchNorm2d(out_channels, momentum=0.9)")]
