"""train_linear_probe using plain SGD (momentum left at 0 instead of 0.9)."""


def train_linear_probe(features, labels, num_classes, epochs=100, lr=0.1, weight_decay=0.0):
    linear = nn.Linear(features.shape[1], num_classes)
    optimizer = torch.optim.SGD(linear.parameters(), lr=lr, weight_decay=weight_decay)
    for _ in range(epochs):
        loss = F.cross_entropy(linear(features), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return linear
