"""extract_features calling model.train() at the end: a model that was in eval mode comes back in training mode."""

TARGET = "extract_features"
PATCH = [
    ('model.train(was_training)', 'model.train()')
]
