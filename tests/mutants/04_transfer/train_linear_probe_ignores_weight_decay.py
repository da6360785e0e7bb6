"""train_linear_probe accepting weight_decay but never passing it to the optimizer."""


def train_linear_probe(features, labels, num_classes, epochs=100, lr=0.1, weight_decay=0.0):
    linear = nn.Linear(features.shape[1], num_classes)
    optimizer = torch.optim.SGD(linear.parameters(), lr=lr, momentum=0.9)
    for _ in range(epochs):
        loss = F.cross_entropy(linear(features), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    return linear
