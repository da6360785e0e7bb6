"""BatchNorm2d in evaluation mode dividing by sqrt(running_var) and forgetting eps."""

TARGET = "batchnorm2d_eval"
PATCH = [("scale = gamma / torch.sqrt(running_var + eps)", "scale = gamma / torch.sqrt(running_var)")]
