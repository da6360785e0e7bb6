"""extract_features leaving nn.Identity() in place of model.fc (the head is lost)."""


def extract_features(model, loader, device="cpu"):
    was_training = model.training
    model.fc = nn.Identity()
    model.eval()
    features, all_labels = [], []
    with torch.no_grad():
        for inputs, batch_labels in loader:
            features.append(model(inputs.to(device)).cpu())
            all_labels.append(batch_labels.cpu())
    model.train(was_training)
    return torch.cat(features), torch.cat(all_labels)
