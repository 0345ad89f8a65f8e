"""Lines of text, one per unit, joined from tables of distinct texts instead of formatted cell by cell.

A column of the sheet (a node's points for every unit, say) has few distinct values: each is
rounded and printed once (``Numbers``, vectorised with numpy), and a unit's line is joined from the
pieces its codes pick out (``Lines``). ``scoring.reports.compact`` writes the compact JSON and CSV
with them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

CHUNK = 4096  # units joined into one text per write
MERGED_TEXTS = 2048  # distinct texts a piece taken from several neighbours may have
SAFE_DIGITS = 15  # a float's repr is its shortest round-tripping decimal: ≤ 15 digits print as written
Text = str | bytes  # a piece's text: bytes when it is built as bytes (UTF-8)


def _utf8(text: Text) -> bytes:
    return text if isinstance(text, bytes) else text.encode("utf-8")


def factorize(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each value's position among the distinct values (ascending), and those values."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64), values
    low, high = int(values.min()), int(values.max())
    span = high - low + 1
    if span <= 4 * len(values) + 65_536:  # small range: a table instead of a sort
        offset = values - low
        seen = np.zeros(span, dtype=bool)
        seen[offset] = True
        distinct = np.flatnonzero(seen)
        position = np.zeros(span, dtype=np.int64)
        position[distinct] = np.arange(len(distinct))
        return position[offset], distinct + low
    distinct, codes = np.unique(values, return_inverse=True)
    return codes.reshape(-1), distinct


def combined_key(parts: list[np.ndarray]) -> np.ndarray:
    """One integer per unit, equal where all ``parts`` are equal: their values in mixed radix when
    it fits in 63 bits (one pass), else pair by pair through their distinct values."""
    lows = [int(p.min()) if len(p) else 0 for p in parts]
    spans = [(int(p.max()) - low + 1) if len(p) else 1 for p, low in zip(parts, lows)]
    if np.prod([float(span) for span in spans]) < 2.0**62:
        key = np.zeros(len(parts[0]), dtype=np.int64)
        for part, low, span in zip(parts, lows, spans):
            key = key * span + (part.astype(np.int64) - low)
        return key
    key = factorize(parts[0].astype(np.int64))[0]
    for part in parts[1:]:
        codes, distinct = factorize(part.astype(np.int64))
        key = factorize(key * len(distinct) + codes)[0]
    return key


class Numbers:
    """Scaled integers (1/10 000 point) → the rubric's precision, rounded half up, as text.

    A rounded value is kept as one integer key, ``2·magnitude + (1 if the scaled value was
    negative)``: the sign of a value that rounds to zero is kept, as ``stream._Rounder`` keeps it.
    """

    def __init__(self, precision: int):
        self.precision = precision
        self.step = 10 ** (4 - precision)
        self.unit = 10**precision
        fractions = [f"{f:0{precision}d}" for f in range(self.unit)] if precision else [""]
        self.json_fraction = np.array(["." + (f.rstrip("0") or "0") for f in fractions])
        self.fixed_fraction = np.array(["." + f if precision else "" for f in fractions])

    def points_keys(self, scaled: np.ndarray) -> np.ndarray:
        scaled = np.asarray(scaled, dtype=np.int64)
        if len(scaled) and max(-int(scaled.min()), int(scaled.max())) >= 2**60:  # beyond int64: Python's integers
            return np.array([2 * ((2 * abs(v) + self.step) // (2 * self.step)) + (v < 0) for v in scaled.tolist()],
                            dtype=object)
        magnitude = (2 * np.abs(scaled) + self.step) // (2 * self.step)
        return 2 * magnitude + (scaled < 0)

    def index_keys(self, points: np.ndarray, maximum: np.ndarray) -> np.ndarray:
        """points ÷ maximum × 100 rounded to 4 decimals, then to the precision; −1 where maximum is 0."""
        points, maximum = np.asarray(points, dtype=np.int64), np.asarray(maximum, dtype=np.int64)
        top = max(int(np.abs(points).max(initial=0)), int(np.abs(maximum).max(initial=0)))
        if top * 2_000_000 >= 2**62:  # beyond int64: Python's integers, value by value
            keys = [self._index_key(int(p), int(m)) for p, m in zip(points.tolist(), maximum.tolist())]
            return np.array(keys, dtype=object)
        safe = np.where(maximum == 0, 1, np.abs(maximum))
        four = (2 * np.abs(points) * 1_000_000 + safe) // (2 * safe)
        magnitude = (2 * four + self.step) // (2 * self.step)
        keys = 2 * magnitude + ((points < 0) != (maximum < 0))
        return np.where(maximum == 0, -1, keys)

    def _index_key(self, p: int, m: int) -> int:
        if m == 0:
            return -1
        four = (2 * abs(p) * 1_000_000 + abs(m)) // (2 * abs(m))
        return 2 * ((2 * four + self.step) // (2 * self.step)) + ((p < 0) != (m < 0))

    def texts(self, keys: np.ndarray, fixed: bool) -> list[str]:
        """Each key as JSON prints the float (``12.5``, ``-0.0``) or, ``fixed``, with all the decimals
        (``12.50``); a key of −1 (no index) as ``null`` / empty."""
        keys = np.asarray(keys)
        if keys.dtype == object or len(keys) == 0:
            return [self._text(int(k), fixed) for k in keys.tolist()]
        magnitude = keys >> 1
        whole, fraction = np.divmod(magnitude, self.unit)
        sign = np.where((keys & 1) == 1, "-", "")
        ends = (self.fixed_fraction if fixed else self.json_fraction)[fraction]
        out = np.char.add(np.char.add(sign, whole.astype(np.str_)), ends).tolist()
        for i in np.flatnonzero((keys < 0) | (magnitude >= 10**SAFE_DIGITS)).tolist():
            out[i] = self._text(int(keys[i]), fixed)
        return out

    def _text(self, key: int, fixed: bool) -> str:
        if key < 0:
            return "" if fixed else "null"
        magnitude, negative = key >> 1, key & 1
        if not fixed:
            value = magnitude / self.unit
            return repr(-value if negative else value)
        whole, fraction = divmod(magnitude, self.unit)
        text = f"{whole}.{fraction:0{self.precision}d}" if self.precision else str(whole)
        return "-" + text if negative else text


class Lines:
    """One line of text per unit, joined from pieces: each piece a column of codes into a table of
    distinct texts; literal text between pieces is appended to the texts before it, once."""

    def __init__(self, units: int):
        self.units = units
        self.columns: list[tuple[np.ndarray, list[Text]]] = []

    def literal(self, text: str) -> None:
        codes, texts = self.columns[-1]
        encoded = text.encode("utf-8")
        self.columns[-1] = (codes, [t + (encoded if isinstance(t, bytes) else text) for t in texts])  # type: ignore[operator]

    def column(self, codes: np.ndarray, texts: list[Text]) -> None:
        self.columns.append((codes.astype(np.int32 if len(texts) < 2**31 else np.int64), texts))

    def values(self, values: np.ndarray, text_of: Callable[[np.ndarray], list[str]]) -> None:
        """A piece from an integer per unit: its distinct values are formatted once."""
        codes, distinct = factorize(values)
        self.column(codes, text_of(distinct))

    def per_unit(self, texts: list[Text]) -> None:
        self.column(np.arange(len(texts)), texts)

    def merged(self) -> list[tuple[np.ndarray, list[Text]]]:
        """Neighbouring pieces taken together while their distinct pairs stay few (a run of yes/no
        leaves is one piece): a line is joined from ~40 pieces instead of ~250."""
        out: list[tuple[np.ndarray, list[Text]]] = []
        self.columns.reverse()
        while self.columns:  # taken off the list as merged: the codes are not held twice
            codes, texts = self.columns.pop()
            if out and max(len(out[-1][1]), len(texts)) <= MERGED_TEXTS:
                kept_codes, kept = out[-1]
                pairs, distinct = factorize(kept_codes.astype(np.int64) * len(texts) + codes)
                if len(distinct) <= MERGED_TEXTS:
                    firsts, seconds = np.divmod(distinct, len(texts))
                    out[-1] = (pairs.astype(np.int32),
                               [_utf8(kept[k]) + _utf8(texts[j]) for k, j in zip(firsts.tolist(), seconds.tolist())])
                    continue
            out.append((codes, texts))
        return out

    def chunks(self, size: int = CHUNK) -> Iterator[tuple[int, bytes]]:
        """(units done, UTF-8 text of the next ``size`` units), in order."""
        columns = self.merged()
        table = np.array([_utf8(t) for _, texts in columns for t in texts], dtype=object)
        offsets = np.cumsum([0] + [len(texts) for _, texts in columns[:-1]])
        for start in range(0, self.units, size):
            stop = min(start + size, self.units)
            index = np.empty((stop - start, len(columns)), dtype=np.intp)
            for k, (codes, _) in enumerate(columns):
                index[:, k] = codes[start:stop] + offsets[k]
            yield stop, b"".join(table[index].ravel().tolist())
