"""extract_features running the children before fc without flattening: features [N, D, 1, 1] instead of [N, D]."""


def extract_features(model, loader, device="cpu"):
    was_training = model.training
    trunk = nn.Sequential(*list(model.children())[:-1])
    model.eval()
    features, all_labels = [], []
    with torch.no_grad():
        for inputs, batch_labels in loader:
            features.append(trunk(inputs.to(device)).cpu())
            all_labels.append(batch_labels.cpu())
    model.train(was_training)
    return torch.cat(features), torch.cat(all_labels)
