"""cutout draws one centre and erases the same square in every image of the batch."""

TARGET = "cutout"
PATCH = [("centre_y = torch.randint(0, height, (count,), generator=generator)",
          "centre_y = torch.randint(0, height, (1,), generator=generator).expand(count)"),
         ("centre_x = torch.randint(0, width, (count,), generator=generator)",
          "centre_x = torch.randint(0, width, (1,), generator=generator).expand(count)")]
