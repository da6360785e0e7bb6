"""extract_features returning the head's logits instead of the features before model.fc."""


def extract_features(model, loader, device="cpu"):
    was_training = model.training
    model.eval()
    features, all_labels = [], []
    with torch.no_grad():
        for inputs, batch_labels in loader:
            features.append(model(inputs.to(device)).cpu())
            all_labels.append(batch_labels.cpu())
    model.train(was_training)
    return torch.cat(features), torch.cat(all_labels)
