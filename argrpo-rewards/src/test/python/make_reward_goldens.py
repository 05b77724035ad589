#!/usr/bin/python3
"""Reference outputs for the reward preprocessing and MANIQA protocol tests (argrpo-rewards).

Run with Debian's python3 (torch 1.13, torchvision 0.14, Pillow 9.4, numpy) from the repository root:

    /usr/bin/python3 argrpo-rewards/src/test/python/make_reward_goldens.py ../shared

Writes, under argrpo-rewards/src/test/resources/goldens/:

* preprocess.safetensors (a plain safetensors file, written here by hand), keys "<path>/<case>/in|out":
  - pil/*   uint8 HWC images and Pillow's Image.resize(..., BICUBIC) of them (PilBicubicResizeTest);
  - clip/*  float [1,3,H,W] images in [0,1] and the Hugging Face CLIPImageProcessor result for them, after
            AR-GRPO's to_pil_image hand-off (the CLIP reward's path). transformers is not installed here, so
            its documented steps are written out below from its source (image_processing_clip.py and
            image_transforms.py): PIL bicubic resize of the shortest edge (long side int(S * long / short)),
            center crop with floor((side - S) / 2), rescale in float64 then float32, normalize in float32;
  - hps/*   the same inputs through open_clip's val transform as HPSv2 builds it: to_pil_image, ToTensor,
            Resize(S, bicubic, antialias=True) on the float tensor (torchvision >= 0.17's default; 0.14 here
            needs it spelled out), CenterCrop(S) (torchvision: round((side - S) / 2)), Normalize.
* maniqa_crops.json: the tiny TorchScript scorer of <shared>/fixtures/torchscript run with MANIQA's protocol
  (to_pil_image truncation, / 255, (x - 0.5) / 0.5, one 224 crop) at every crop offset of two 228x230
  images, so the Java test can average the golden crop scores of whatever windows it drew.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torchvision.transforms as T
import torchvision.transforms.functional as TF
from PIL import Image

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "goldens")
MEAN = np.array([0.48145466, 0.4578275, 0.40821073], dtype=np.float32)
STD = np.array([0.26862954, 0.26130258, 0.27577711], dtype=np.float32)


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    # largest element first, so that every tensor's data is aligned to its element size
    for key, arr in sorted(tensors.items(), key=lambda kv: -kv[1].dtype.itemsize):
        arr = np.ascontiguousarray(arr)
        dtype = {np.dtype(np.uint8): "U8", np.dtype(np.float32): "F32"}[arr.dtype]
        raw = arr.tobytes()
        header[key] = {"dtype": dtype, "shape": list(arr.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    head = json.dumps(header, separators=(",", ":")).encode()
    head += b" " * ((8 - len(head) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(head)))
        f.write(head)
        for b in blobs:
            f.write(b)


def hand_off(x):
    """AR-GRPO's image hand-off: torchvision to_pil_image of a float CHW tensor (mul(255).byte(), truncating)."""
    return TF.to_pil_image(torch.from_numpy(x))


def hf_clip_image_processor(pil, size):
    """CLIPImageProcessor(size={"shortest_edge": S}, crop_size=S) step by step, as transformers does it."""
    img = np.array(pil.convert("RGB"))                               # convert_to_rgb, to_numpy_array: HWC uint8
    h, w = img.shape[:2]
    short, long = (w, h) if w <= h else (h, w)
    new_short, new_long = size, int(size * long / short)             # get_resize_output_image_size
    oh, ow = (new_long, new_short) if w <= h else (new_short, new_long)
    img = np.array(Image.fromarray(img).resize((ow, oh), resample=Image.BICUBIC))   # resize() through PIL
    top, left = (oh - size) // 2, (ow - size) // 2                   # center_crop: floor division
    img = img[top:top + size, left:left + size]
    img = (img.astype(np.float64) * (1 / 255)).astype(np.float32)    # rescale
    img = (img - MEAN) / STD                                         # normalize, float32
    return img.transpose(2, 0, 1)[None].astype(np.float32)


def open_clip_val(pil, size):
    t = T.Compose([
        T.ToTensor(),
        T.Resize(size, interpolation=T.InterpolationMode.BICUBIC, antialias=True),
        T.CenterCrop(size),
        T.Normalize(MEAN.tolist(), STD.tolist()),
    ])
    return t(pil.convert("RGB"))[None].numpy().astype(np.float32)


def main(shared):
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.RandomState(20261203)
    tensors = {}
    # Pillow bicubic: noise (the hardest case for bit-exactness) and a smooth image, down, up and mixed
    yy, xx = np.mgrid[0:48, 0:48]
    smooth = np.stack([(xx * 5) % 256, (yy * 3 + xx) % 256, (128 + 100 * np.sin(xx / 5.0) * np.cos(yy / 7.0))],
                      axis=-1).astype(np.uint8)
    pil_cases = {
        "noise_48_to_42": (rng.randint(0, 256, (48, 48, 3)).astype(np.uint8), 42, 42),
        "noise_72_to_42": (rng.randint(0, 256, (72, 72, 3)).astype(np.uint8), 42, 42),
        "smooth_48_to_42": (smooth, 42, 42),
        "noise_40x44_to_29x35": (rng.randint(0, 256, (40, 44, 3)).astype(np.uint8), 29, 35),
        "noise_20_to_28": (rng.randint(0, 256, (20, 20, 3)).astype(np.uint8), 28, 28),
    }
    for name, (img, ow, oh) in pil_cases.items():
        tensors["pil/%s/in" % name] = img
        tensors["pil/%s/out" % name] = np.array(Image.fromarray(img).resize((ow, oh), resample=Image.BICUBIC))
    # the two CLIP preprocessing paths, from float images in [0, 1]
    clip_cases = {
        "square_48_to_42": ((48, 48), 42),
        "odd_excess_40x44_to_32": ((40, 44), 32),   # resized 32x35: HF crops from column 1, torchvision from 2
        "up_20x24_to_28": ((20, 24), 28),
    }
    for name, ((h, w), s) in clip_cases.items():
        x = rng.random_sample((3, h, w)).astype(np.float32)
        x[:, 0, 0] = 1.0                                              # exact white: 255 after truncation
        x[:, 1, 1] = np.float32(0.999)                                # 254.7: truncates to 254
        pil = hand_off(x)
        tensors["clip/%s/in" % name] = x[None]
        tensors["clip/%s/out" % name] = hf_clip_image_processor(pil, s)
        tensors["hps/%s/in" % name] = x[None]
        tensors["hps/%s/out" % name] = open_clip_val(pil, s)
    write_safetensors(os.path.join(OUT, "preprocess.safetensors"), tensors)

    # MANIQA protocol on the tiny scorer: every offset of two 228x230 images (numpy randint(0, 4) x randint(0, 6))
    model = torch.jit.load(os.path.join(shared, "fixtures", "torchscript", "tiny_iqa.pt")).eval()
    n, h, w = 2, 228, 230
    img = np.zeros((n, 3, h, w), dtype=np.float32)
    for b in range(n):
        for c in range(3):
            y, x = np.mgrid[0:h, 0:w]
            k = (x * x * 7 + y * 13 + x * y * 3 + c * 71 + b * 101) % 256   # the Java test builds the same image
            img[b, c] = k.astype(np.float32) / np.float32(255)
    scores = []
    with torch.no_grad():
        for b in range(n):
            u8 = np.array(hand_off(img[b]))                                # HWC uint8
            t = torch.from_numpy(u8).permute(2, 0, 1).float() / 255
            t = (t - 0.5) / 0.5
            per = []
            for top in range(h - 224):
                per.append([float(model(t[None, :, top:top + 224, left:left + 224]).reshape(-1)[0])
                            for left in range(w - 224)])
            scores.append(per)
    with open(os.path.join(OUT, "maniqa_crops.json"), "w") as f:
        json.dump({"_source": "argrpo-rewards/src/test/python/make_reward_goldens.py (torch %s)" % torch.__version__,
                   "height": h, "width": w, "pixel": "((x*x*7 + y*13 + x*y*3 + c*71 + n*101) % 256) / 255 (float32)",
                   "scores": scores}, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared")
