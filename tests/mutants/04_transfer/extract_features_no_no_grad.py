"""extract_features without torch.no_grad(): the features carry an autograd graph."""


def extract_features(model, loader, device="cpu"):
    was_training, head = model.training, model.fc
    model.fc = nn.Identity()
    model.eval()
    features, all_labels = [], []
    for inputs, batch_labels in loader:
        features.append(model(inputs.to(device)).cpu())
        all_labels.append(batch_labels.cpu())
    model.fc = head
    model.train(was_training)
    return torch.cat(features), torch.cat(all_labels)
