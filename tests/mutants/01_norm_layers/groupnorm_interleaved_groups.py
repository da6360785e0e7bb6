"""GroupNorm grouping channels c, c+G, c+2G, ... (strided) instead of consecutive channels."""

TARGET = "groupnorm"
PATCH = [('raise ValueError(f"groupnorm: C={C} channels cannot be split into num_groups={num_groups} "\n                         f"equal groups (C must be divisible by num_groups)")\n    groups = x.reshape(B, num_groups, -1)', 'raise ValueError(f"groupnorm: C={C} is not divisible by num_groups={num_groups}")\n    groups = x.reshape(B, C // num_groups, num_groups, H * W).transpose(1, 2).reshape(B, num_groups, -1)'),
         ("x_hat = ((groups - mean) / torch.sqrt(var + eps)).reshape(B, C, H, W)", "x_hat = ((groups - mean) / torch.sqrt(var + eps)).reshape(B, num_groups, C // num_groups, H * W)\n    x_hat = x_hat.transpose(1, 2).reshape(B, C, H, W)")]
