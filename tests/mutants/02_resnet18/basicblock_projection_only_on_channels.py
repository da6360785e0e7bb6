"""BasicBlock that projects the shortcut only when the channels change, not for stride 2 with the same channels."""

TARGET = "BasicBlock"
PATCH = [("if stride != 1 or in_channels != out_channels:", "if in_channels != out_channels:")]
