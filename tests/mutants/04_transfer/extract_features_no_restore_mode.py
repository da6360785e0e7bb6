"""extract_features leaving the model in eval mode instead of restoring its training mode."""

TARGET = "extract_features"
PATCH = [
    ('        model.train(was_training)\n', '')
]
