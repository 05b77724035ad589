"""Writes tiny_imagereward.pt: a stand-in with the interface of the ImageReward export of
docs/evaluation.md (forward(ids int64 [B, L], mask int64 [B, L], pixels float [B, 3, 224, 224]) -> raw
reward [B], before ImageReward's (r - mean) / std), whose output is easy to work out by hand:

    raw[b] = 0.01 * sum_l(ids[b, l] * mask[b, l]) + mean(pixels[b])

Usage: /usr/bin/python3 make_tiny_imagereward.py   (torch 1.13, as Debian ships it)
"""
import os
import torch


class TinyImageReward(torch.nn.Module):
    def forward(self, ids: torch.Tensor, mask: torch.Tensor, pixels: torch.Tensor) -> torch.Tensor:
        if pixels.shape[2] != 224 or pixels.shape[3] != 224:
            raise ValueError("pixels must be 224x224")
        text = (ids * mask).sum(dim=1).to(torch.float32) * 0.01
        return text + pixels.mean(dim=(1, 2, 3))


m = torch.jit.script(TinyImageReward())
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny_imagereward.pt")
m.save(out)
ids = torch.tensor([[2, 5, 3, 0]]); mask = torch.tensor([[1, 1, 1, 0]])
print(torch.jit.load(out)(ids, mask, torch.ones(1, 3, 224, 224)))  # 0.10 + 1 = 1.1
