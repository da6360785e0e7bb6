"""BasicBlock without the ReLU after the addition: returns bn2(conv2(...)) + shortcut(x)."""

TARGET = "BasicBlock"
PATCH = [("return self.relu(out + shortcut)", "return out + shortcut")]
