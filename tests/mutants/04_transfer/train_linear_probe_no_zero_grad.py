"""train_linear_probe never zeroing the gradients, so they accumulate over the steps."""

TARGET = "train_linear_probe"
PATCH = [
    ('        optimizer.zero_grad()\n', '')
]
