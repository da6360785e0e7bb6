"""extract_features returning the head's logits instead of the features before model.fc."""

TARGET = "extract_features"
PATCH = [
    ('    model.fc = nn.Identity()\n', '')
]
