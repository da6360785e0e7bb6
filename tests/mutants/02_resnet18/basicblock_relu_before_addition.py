"""BasicBlock with the slide's ReLU before the residual addition: shortcut + ReLU(branch), no ReLU after."""

TARGET = "BasicBlock"
PATCH = [("out = self.bn2(self.conv2(out))", "out = self.relu(self.bn2(self.conv2(out)))"),
         ("return self.relu(out + shortcut)", "return out + shortcut")]
