#!/usr/bin/python3
"""Score 16 kHz outputs against a float64 reference.

    resample-quality.py CORPUS.tsv DECODED_DIR LABEL OUT16_DIR OUTF_DIR

CORPUS.tsv lines: file, master name, rate, kind, tone info (from
resample-gen.py).  DECODED_DIR/<file>.wav is the source as libsndfile
decodes it (float, source rate, mono).  The reference is scipy's
resample_poly of that decode with a long Kaiser FIR (about 180 dB
stopband, flat to 0.95 of the narrower Nyquist).  OUT16_DIR/<file>.wav is
a tool's 16-bit output; OUTF_DIR/<file>.wav (optional, "-" for none) its
float output, used for aliasing so that requantisation noise does not
hide it.

Prints one JSON line per file and a summary line:
  passband SNR (0-7.6 kHz, or 0.95 of the source Nyquist when lower),
  worst alias/image level re the wanted tone, length error in samples.
"""
import json
import warnings
import sys

import numpy as np
from scipy.io import wavfile
from scipy.signal import firwin, resample_poly
from scipy.signal.windows import kaiser

OUT = 16000
_filters = {}
warnings.simplefilter("ignore")  # sox's LIST chunks


def load(path):
    sr, x = wavfile.read(path)
    if x.dtype == np.int16:
        x = x.astype(np.float64) / 32768.0
    elif x.dtype == np.int32:
        x = x.astype(np.float64) / 2147483648.0
    else:
        x = x.astype(np.float64)
    if x.ndim > 1:
        x = x.mean(axis=1)
    return sr, x


def reference(x, sr):
    g = np.gcd(sr, OUT)
    up, down = OUT // g, sr // g
    band = min(OUT, sr) / 2.0
    key = (up, down)
    if key not in _filters:
        fs = up * sr
        trans = 0.05 * band   # pass to 0.95, stop at 1.0 of band
        beta = 18.0           # ~180 dB
        n = int((180 - 7.95) / (2.285 * 2 * np.pi * trans / fs)) | 1
        h = firwin(n, band - trans / 2, window=("kaiser", beta), fs=fs)
        _filters[key] = h   # resample_poly scales by up itself
    y = resample_poly(x, up, down, window=_filters[key].copy())
    return y, 0.95 * band


def band_limit(x, hi):
    X = np.fft.rfft(x)
    f = np.fft.rfftfreq(len(x), 1.0 / OUT)
    X[f > hi] = 0
    return np.fft.irfft(X, len(x))


def snr(out, ref, hi):
    n = min(len(out), len(ref))
    a, b = band_limit(ref[:n], hi), band_limit(out[:n], hi)
    err = np.sum((a - b) ** 2)
    sig = np.sum(a ** 2)
    return 10 * np.log10(sig / max(err, 1e-30))


def spur_level(y, want, spur):
    """Worst spur (dB re the wanted tone) in a Kaiser-windowed spectrum."""
    w = kaiser(len(y), 20.0)
    Y = np.abs(np.fft.rfft(y * w))
    f = np.fft.rfftfreq(len(y), 1.0 / OUT)
    df = f[1]

    def peak(fr):
        k = int(round(fr / df))
        return Y[max(k - 3, 0):k + 4].max()

    ref = max(peak(fr) for fr in want)
    worst = -200.0
    for fr in spur:
        worst = max(worst, 20 * np.log10(max(peak(fr), 1e-30) / ref))
    return worst


def main():
    corpus, decoded, label, out16, outf = sys.argv[1:6]
    res = []
    for line in open(corpus):
        name, master, rate, kind, info = (line.rstrip("\n").split("\t")
                                          + [""])[:5]
        try:
            sr, x = load("%s/%s.wav" % (decoded, name))
            o_sr, y = load("%s/%s.wav" % (out16, name))
        except (FileNotFoundError, ValueError) as e:
            res.append({"file": name, "error": str(e)})
            continue
        ref, hi = reference(x, sr)
        want_len = (2 * len(x) * OUT + sr) // (2 * sr)
        r = {"file": name, "kind": kind, "rate": sr,
             "len_err": len(y) - want_len,
             "snr_db": round(snr(y, ref, hi), 2)}
        # Aliasing on lossless sources only: a lossy codec's own noise
        # lands on the probe frequencies too.
        if info and "|" in info and outf != "-" and \
                name.endswith(("-wav", "-flac")):
            want = [float(v) for v in info.split("|")[0].split(",") if v]
            spur = [float(v) for v in info.split("|")[1].split(",") if v]
            try:
                _, yf = load("%s/%s.wav" % (outf, name))
                if spur:
                    r["spur_db"] = round(spur_level(yf, want, spur), 1)
            except (FileNotFoundError, ValueError):
                pass
        res.append(r)
        print(json.dumps(r))
    ok = [r for r in res if "snr_db" in r]
    snrs = sorted(r["snr_db"] for r in ok)
    spurs = [r["spur_db"] for r in ok if "spur_db" in r]
    summary = {
        "label": label, "files": len(res), "scored": len(ok),
        "median_snr_db": round(float(np.median(snrs)), 1) if snrs else None,
        "worst_snr_db": snrs[0] if snrs else None,
        "worst_spur_db": max(spurs) if spurs else None,
        "len_exact": sum(1 for r in ok if r["len_err"] == 0),
        "max_len_err": max((abs(r["len_err"]) for r in ok), default=None),
        "lossless_median_snr_db": round(float(np.median(
            [r["snr_db"] for r in ok
             if r["file"].endswith(("-wav", "-flac"))])), 1) if ok else None,
    }
    print("SUMMARY " + json.dumps(summary))


main()
