"""BasicBlock that projects the shortcut only when stride != 1, not when only the channels change."""

TARGET = "BasicBlock"
PATCH = [("if stride != 1 or in_channels != out_channels:", "if stride != 1:")]
