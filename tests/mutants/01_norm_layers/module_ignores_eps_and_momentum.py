"""BatchNorm2d module storing eps and momentum but calling the functions with their defaults."""

TARGET = "BatchNorm2d"
PATCH = [("momentum=self.momentum, eps=self.eps)", ")"),
         ("self.running_var, eps=self.eps)", "self.running_var)")]
