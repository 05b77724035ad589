#!/usr/bin/python3
"""Outside yardstick for the fp32 InceptionV3 feature pass: how fast this CPU runs the same network
in plain PyTorch (Debian's torch 1.13, /usr/bin/python3), NCHW against channels-last, with and without
the batch norms folded into the convolutions. Compare its images/s with `argrpo bench inception`
(docs/performance.md, "InceptionV3 features").

The network is written out here from its shapes (the TF-2015 InceptionV3 of FID: 299x299 input,
BasicConv2d = conv without bias + BatchNorm(eps=1e-3) + ReLU, Mixed_5b..7c, pool_3, fc 2048->1008);
weights are random, since the cost does not depend on them. The resize is left out (it is a few
percent of the Java pass).

Usage: /usr/bin/python3 inception_cpu_yardstick.py [--threads 2] [--batch 25] [--rounds 3]
The variants run interleaved inside one process (A, B, C, D, A, B, ...) and the best round of each is
reported, so that other load on a shared machine hits them alike.
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Unit(nn.Module):
    """conv (no bias) -> BatchNorm2d(eps=1e-3, eval) -> ReLU; fold() turns it into conv+bias -> ReLU."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, padding=padding, bias=False)
        self.bn = nn.BatchNorm2d(cout, eps=1e-3)
        with torch.no_grad():  # non-trivial statistics so that folding does real work
            self.bn.running_mean.uniform_(-0.1, 0.1)
            self.bn.running_var.uniform_(0.5, 1.5)
        self.folded = False

    def fold(self):
        with torch.no_grad():
            s = self.bn.weight.double() / (self.bn.running_var.double() + self.bn.eps).sqrt()
            w = (self.conv.weight.double() * s.view(-1, 1, 1, 1)).float()
            b = (self.bn.bias.double() - self.bn.running_mean.double() * s).float()
            self.conv.weight.copy_(w)
            self.conv.bias = nn.Parameter(b)
        self.folded = True

    def forward(self, x):
        x = self.conv(x)
        if self.folded:
            return F.relu_(x)
        return F.relu(self.bn(x))


def avg3(x):
    return F.avg_pool2d(x, 3, 1, 1, count_include_pad=False)


class BlockA(nn.Module):
    def __init__(self, cin, pool):
        super().__init__()
        self.b1 = Unit(cin, 64, 1)
        self.b5 = nn.Sequential(Unit(cin, 48, 1), Unit(48, 64, 5, padding=2))
        self.b3 = nn.Sequential(Unit(cin, 64, 1), Unit(64, 96, 3, padding=1), Unit(96, 96, 3, padding=1))
        self.bp = Unit(cin, pool, 1)

    def forward(self, x):
        return torch.cat([self.b1(x), self.b5(x), self.b3(x), self.bp(avg3(x))], 1)


class BlockB(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.b3 = Unit(cin, 384, 3, stride=2)
        self.bd = nn.Sequential(Unit(cin, 64, 1), Unit(64, 96, 3, padding=1), Unit(96, 96, 3, stride=2))

    def forward(self, x):
        return torch.cat([self.b3(x), self.bd(x), F.max_pool2d(x, 3, 2)], 1)


class BlockC(nn.Module):
    def __init__(self, cin, c7):
        super().__init__()
        row = lambda a, b: Unit(a, b, (1, 7), padding=(0, 3))
        col = lambda a, b: Unit(a, b, (7, 1), padding=(3, 0))
        self.b1 = Unit(cin, 192, 1)
        self.b7 = nn.Sequential(Unit(cin, c7, 1), row(c7, c7), col(c7, 192))
        self.bd = nn.Sequential(Unit(cin, c7, 1), col(c7, c7), row(c7, c7), col(c7, c7), row(c7, 192))
        self.bp = Unit(cin, 192, 1)

    def forward(self, x):
        return torch.cat([self.b1(x), self.b7(x), self.bd(x), self.bp(avg3(x))], 1)


class BlockD(nn.Module):
    def __init__(self, cin):
        super().__init__()
        self.b3 = nn.Sequential(Unit(cin, 192, 1), Unit(192, 320, 3, stride=2))
        self.b7 = nn.Sequential(Unit(cin, 192, 1), Unit(192, 192, (1, 7), padding=(0, 3)),
                                Unit(192, 192, (7, 1), padding=(3, 0)), Unit(192, 192, 3, stride=2))

    def forward(self, x):
        return torch.cat([self.b3(x), self.b7(x), F.max_pool2d(x, 3, 2)], 1)


class BlockE(nn.Module):
    def __init__(self, cin, max_pool):
        super().__init__()
        self.b1 = Unit(cin, 320, 1)
        self.s = Unit(cin, 384, 1)
        self.sa = Unit(384, 384, (1, 3), padding=(0, 1))
        self.sb = Unit(384, 384, (3, 1), padding=(1, 0))
        self.d = nn.Sequential(Unit(cin, 448, 1), Unit(448, 384, 3, padding=1))
        self.da = Unit(384, 384, (1, 3), padding=(0, 1))
        self.db = Unit(384, 384, (3, 1), padding=(1, 0))
        self.bp = Unit(cin, 192, 1)
        self.max_pool = max_pool

    def forward(self, x):
        s = self.s(x)
        d = self.d(x)
        p = F.max_pool2d(x, 3, 1, 1) if self.max_pool else avg3(x)
        return torch.cat([self.b1(x), self.sa(s), self.sb(s), self.da(d), self.db(d), self.bp(p)], 1)


class FidInception(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem1 = nn.Sequential(Unit(3, 32, 3, stride=2), Unit(32, 32, 3), Unit(32, 64, 3, padding=1))
        self.stem2 = nn.Sequential(Unit(64, 80, 1), Unit(80, 192, 3))
        self.blocks = nn.Sequential(BlockA(192, 32), BlockA(256, 64), BlockA(288, 64), BlockB(288),
                                    BlockC(768, 128), BlockC(768, 160), BlockC(768, 160), BlockC(768, 192),
                                    BlockD(768), BlockE(1280, False), BlockE(2048, True))
        self.fc = nn.Linear(2048, 1008)

    def forward(self, x):
        x = F.max_pool2d(self.stem1(x), 3, 2)
        x = F.max_pool2d(self.stem2(x), 3, 2)
        pool = F.adaptive_avg_pool2d(self.blocks(x), 1).flatten(1)
        return pool, self.fc(pool)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=25)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    variants = {}
    for cl in (False, True):
        for fold in (False, True):
            net = FidInception().eval()
            if fold:
                for m in net.modules():
                    if isinstance(m, Unit):
                        m.fold()
            if cl:
                net = net.to(memory_format=torch.channels_last)
            variants[("channels-last" if cl else "nchw") + "+" + ("folded-bn" if fold else "separate-bn")] = (net, cl)
    x = torch.rand(a.batch, 3, 299, 299) * 2 - 1
    best = {k: float("inf") for k in variants}
    with torch.no_grad():
        for net, cl in variants.values():  # warm-up
            net(x.contiguous(memory_format=torch.channels_last) if cl else x)
        for r in range(a.rounds):
            line = []
            for k, (net, cl) in variants.items():
                t0 = time.perf_counter()
                net(x.contiguous(memory_format=torch.channels_last) if cl else x)
                dt = time.perf_counter() - t0
                best[k] = min(best[k], dt)
                line.append(f"{k} {dt:.3f}s")
            print(f"round {r}: " + "  ".join(line), flush=True)
    print(f"torch {torch.__version__}, {a.threads} threads, batch {a.batch}, mkldnn {torch.backends.mkldnn.is_available()}")
    base = best["nchw+separate-bn"]
    for k, s in best.items():
        print(f"{k:28s} best {s:.3f} s/batch = {a.batch / s:6.2f} images/s  ({base / s:.2f}x nchw+separate-bn)")


if __name__ == "__main__":
    main()
