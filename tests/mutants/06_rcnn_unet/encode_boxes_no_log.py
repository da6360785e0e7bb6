"""encode_boxes regresses the size ratio w / w_a itself instead of its log."""

TARGET = "encode_boxes"
PATCH = [("ww * torch.log(gw / aw), wh * torch.log(gh / ah)", "ww * (gw / aw), wh * (gh / ah)")]
