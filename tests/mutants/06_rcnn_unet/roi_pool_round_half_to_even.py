"""roi_pool rounds the scaled corners with torch.round (halves to even) instead of C's round (halves away from zero)."""

TARGET = "roi_pool"
PATCH = [("corners = torch.sign(scaled) * torch.floor(scaled.abs() + 0.5)", "corners = torch.round(scaled)")]
