"""UNet adds the encoder features to the upsampled ones instead of concatenating them."""

TARGET = "UNet"
PATCH = [("conv_block(self.widths[k] * (2 if skip else 1), self.widths[k])", "conv_block(self.widths[k], self.widths[k])"),
         ("torch.cat([skip, x], dim=1) if self.skip else x", "skip + x if self.skip else x")]
