"""train_linear_probe accepting weight_decay but never passing it to the optimizer."""

TARGET = "train_linear_probe"
PATCH = [
    ('momentum=0.9, weight_decay=weight_decay)', 'momentum=0.9)')
]
