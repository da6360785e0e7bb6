"""UNet concatenates [upsampled, encoder features] instead of [encoder features, upsampled]."""

TARGET = "UNet"
PATCH = [("torch.cat([skip, x], dim=1)", "torch.cat([x, skip], dim=1)")]
