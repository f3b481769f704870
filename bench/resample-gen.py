#!/usr/bin/python3
"""Make the df-resample benchmark corpus: float WAV masters of sweeps,
tones, noise and speech at every source rate (the shell script turns
them into WAV/FLAC/OGG/MP3).

    resample-gen.py OUTDIR SPEECH_EN.wav SPEECH_ML.wav

Writes OUTDIR/<kind>-<rate>.wav (32-bit float) and prints one line per
master: name, rate, kind, and for tone files the wanted tone frequencies
and the frequencies where aliases or images of the others would land
(comma-separated, after a '|').
"""
import sys

import numpy as np
from scipy.io import wavfile
from scipy.signal import resample_poly

RATES = [8000, 11025, 22050, 24000, 32000, 44100, 48000, 96000]
OUT = 16000
SECONDS = 1.5


def sweep(sr):
    n = int(SECONDS * sr)
    t = np.arange(n) / sr
    f0, f1 = 20.0, 0.99 * sr / 2
    k = np.log(f1 / f0)
    phase = 2 * np.pi * f0 * SECONDS / k * (np.exp(t / SECONDS * k) - 1)
    return 0.5 * np.sin(phase)


def tones(sr):
    """A wanted tone plus tones whose aliases (down) or images (up) land
    on known frequencies inside 0-8 kHz."""
    n = int(SECONDS * sr)
    t = np.arange(n) / sr
    want = [1000.0]
    spur = []
    if sr > OUT:
        extra = [f for f in (8600.0, 9500.0, 10700.0, 12300.0, 15100.0,
                             19300.0, 30100.0) if f < 0.98 * sr / 2]
        # An alias of f lands at |16000 k - f| folded into 0-8000.
        for f in extra:
            a = f % OUT
            spur.append(a if a <= OUT / 2 else OUT - a)
        freqs = want + extra
    else:
        extra = [f for f in (1900.0, 2900.0, 3700.0, 4700.0)
                 if f < 0.95 * sr / 2]
        for f in extra:
            im = sr - f
            if im < 0.99 * OUT / 2:
                spur.append(im)
        freqs = want + extra
    x = sum(np.sin(2 * np.pi * f * t) for f in freqs) * (0.8 / len(freqs))
    return x, freqs[:1], spur


def noise(sr, seed):
    rng = np.random.default_rng(seed)
    return np.clip(0.1 * rng.standard_normal(int(SECONDS * sr)), -1, 1)


def main():
    out, en, ml = sys.argv[1:4]
    speech = []
    for p in (en, ml):
        sr, x = wavfile.read(p)
        x = x.astype(np.float64) / 32768.0 if x.dtype == np.int16 else x
        speech.append((sr, x))
    for i, sr in enumerate(RATES):
        masters = [("sweep", sweep(sr), None), ("noise", noise(sr, i), None)]
        x, want, spur = tones(sr)
        masters.append(("tones", x, (want, spur)))
        for name, (ssr, sx) in zip(("speech_en", "speech_ml"), speech):
            g = np.gcd(sr, ssr)
            masters.append((name, resample_poly(sx, sr // g, ssr // g,
                                                window=("kaiser", 14.0)),
                            None))
        for name, x, info in masters:
            path = "%s/%s-%d.wav" % (out, name, sr)
            wavfile.write(path, sr, x.astype(np.float32))
            extra = ""
            if info:
                extra = ",".join("%g" % f for f in info[0]) + "|" + \
                    ",".join("%g" % f for f in info[1])
            print("%s-%d\t%d\t%s\t%s" % (name, sr, sr, name, extra))


main()
