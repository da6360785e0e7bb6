"""GroupNorm taking statistics over the channels of a group at each pixel, not over (C/G, H, W)."""

TARGET = "groupnorm"
PATCH = [("groups = x.reshape(B, num_groups, -1)", "groups = x.reshape(B, num_groups, C // num_groups, H * W)")]
