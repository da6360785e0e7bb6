"""ResNet18 that squeezes the pooled features instead of flattening them: a batch of one loses its batch axis."""

TARGET = "ResNet18"
PATCH = [("torch.flatten(self.avgpool(x), 1)", "self.avgpool(x).squeeze()")]
