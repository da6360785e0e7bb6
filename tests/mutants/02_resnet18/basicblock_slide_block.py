"""BasicBlock as on the lecture slide: ReLU on the residual branch before the addition and again after it.

y = ReLU(shortcut(x) + ReLU(bn2(conv2(...)))): the branch can only add to an identity shortcut.
"""

TARGET = "BasicBlock"
PATCH = [("out = self.bn2(self.conv2(out))", "out = self.relu(self.bn2(self.conv2(out)))")]
