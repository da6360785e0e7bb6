"""extract_features leaving nn.Identity() in place of model.fc (the head is lost)."""

TARGET = "extract_features"
PATCH = [
    ('        model.fc = head\n', '')
]
