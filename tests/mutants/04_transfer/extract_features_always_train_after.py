"""extract_features calling model.train() at the end: a model that was in eval mode comes back in training mode."""


def extract_features(model, loader, device="cpu"):
    head = model.fc
    model.fc = nn.Identity()
    model.eval()
    features, all_labels = [], []
    with torch.no_grad():
        for inputs, batch_labels in loader:
            features.append(model(inputs.to(device)).cpu())
            all_labels.append(batch_labels.cpu())
    model.fc = head
    model.train()
    return torch.cat(features), torch.cat(all_labels)
