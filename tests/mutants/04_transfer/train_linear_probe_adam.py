"""train_linear_probe using torch.optim.Adam instead of the SGD with momentum that the exercise asks for."""

TARGET = "train_linear_probe"
PATCH = [
    ('torch.optim.SGD(linear.parameters(), lr=lr, momentum=0.9, weight_decay=weight_decay)', 'torch.optim.Adam(linear.parameters(), lr=lr, weight_decay=weight_decay)')
]
