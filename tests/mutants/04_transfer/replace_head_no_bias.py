"""replace_head building the new head without a bias (nn.Linear(..., bias=False))."""

TARGET = "replace_head"
PATCH = [("model.fc = nn.Linear(model.fc.in_features, num_classes)", "model.fc = nn.Linear(model.fc.in_features, num_classes, bias=False)")]
