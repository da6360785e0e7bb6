"""extract_features running the children before fc without flattening: features [N, D, 1, 1] instead of [N, D]."""

TARGET = "extract_features"
PATCH = [
    ('    model.fc = nn.Identity()\n', '    trunk = nn.Sequential(*list(model.children())[:-1])\n'),
    ('features.append(model(inputs.to(device)).cpu())', 'features.append(trunk(inputs.to(device)).cpu())')
]
