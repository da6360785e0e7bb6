"""UNet never checks that H and W are divisible by 2^(levels - 1): torch.cat fails later with a shape error."""

TARGET = "UNet"
PATCH = [("if x.shape[-2] % factor or x.shape[-1] % factor:", "if False:")]
