"""replace_head assuming 512 input features instead of reading model.fc.in_features."""

TARGET = "replace_head"
PATCH = [("model.fc = nn.Linear(model.fc.in_features, num_classes)", "model.fc = nn.Linear(512, num_classes)")]
