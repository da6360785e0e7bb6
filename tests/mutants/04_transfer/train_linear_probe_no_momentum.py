"""train_linear_probe using plain SGD (momentum left at 0 instead of 0.9)."""

TARGET = "train_linear_probe"
PATCH = [
    ('lr=lr, momentum=0.9, weight_decay=weight_decay)', 'lr=lr, weight_decay=weight_decay)')
]
