"""Records the request AR-GRPO's reward_utils/unireward.py sends, for UnifiedRewardClientTest.

Runs the reference's own unified_reward() with a stand-in for openai.AsyncOpenAI that captures the
keyword arguments of chat.completions.create (the OpenAI client sends them as the JSON body) and
replies with fixed texts. The image is a 4x3 RGB float tensor; the data URL is replaced by its
decoded pixels (the PNG bytes of Pillow and javax.imageio differ, the pixels do not).

Usage: /usr/bin/python3 make_unireward_request.py PATH/TO/reward_utils/unireward.py
"""
import asyncio, base64, io, json, os, sys, types
import numpy as np, torch
from PIL import Image

captured = []
replies = iter(["The image fits well. Final Score: 4.5", "no score here"])

class _Completions:
    async def create(self, **kw):
        captured.append(kw)
        msg = types.SimpleNamespace(content=next(replies))
        return types.SimpleNamespace(choices=[types.SimpleNamespace(message=msg)])

class AsyncOpenAI:
    def __init__(self, base_url, api_key):
        self.base_url, self.api_key = base_url, api_key
        self.chat = types.SimpleNamespace(completions=_Completions())

sys.modules["openai"] = types.SimpleNamespace(AsyncOpenAI=AsyncOpenAI)
ns = {}
exec(open(sys.argv[1]).read(), ns)

v = [0.0, 1.0, 0.5, 0.3, 0.7, 0.999, 0.25, 0.125, 0.9, 0.6, 0.05, 0.45]
img = torch.tensor([[[v[(y * 4 + x + c * 5) % 12] for x in range(4)] for y in range(3)] for c in range(3)],
                   dtype=torch.float32)
images = torch.stack([img, img.flip(2)])
scores, sess = ns["unified_reward"](images, ["a red cube", "two [dogs] & a cat"])
out = []
for kw in captured:
    url = kw["messages"][0]["content"][0]["image_url"]["url"]
    prefix, b64 = url.split(",", 1)
    px = np.asarray(Image.open(io.BytesIO(base64.b64decode(b64))).convert("RGB"))
    kw["messages"][0]["content"][0]["image_url"]["url"] = prefix + ",<png>"
    out.append({"body": kw, "png_shape": list(px.shape),
                "png_pixels": {f"{y},{x}": px[y, x].tolist() for (y, x) in [(0, 0), (100, 37), (255, 256), (300, 511), (511, 0), (511, 511)]}})
out = {"base_url": sess.base_url, "api_key": sess.api_key, "requests": out, "scores": scores}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "unireward_request.json"), "w") as f:
    json.dump(out, f, indent=1)
print(scores)
