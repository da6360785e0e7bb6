"""encode_boxes ignores the weights (w_x, w_y, w_w, w_h): right for the RPN, wrong for the box head's (10, 10, 5, 5)."""

TARGET = "encode_boxes"
PATCH = [("torch.stack([wx * (gx - ax) / aw, wy * (gy - ay) / ah,", "torch.stack([(gx - ax) / aw, (gy - ay) / ah,"),
         ("ww * torch.log(gw / aw), wh * torch.log(gh / ah)", "torch.log(gw / aw), torch.log(gh / ah)")]
