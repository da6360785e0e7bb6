"""BatchNorm1d in evaluation mode dividing by sqrt(running_var): eps forgotten outside training."""

TARGET = "batchnorm1d_eval"
PATCH = [("torch.sqrt(running_var + eps)", "torch.sqrt(running_var)")]
