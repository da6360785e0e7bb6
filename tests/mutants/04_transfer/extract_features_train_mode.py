"""extract_features forgetting model.eval(): BatchNorm uses batch statistics and updates its running ones."""

TARGET = "extract_features"
PATCH = [
    ('    model.eval()\n', '')
]
