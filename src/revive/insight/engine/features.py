"""What the risk model reads about a unit at a month: vectorised over units, one month at a time.

Every feature is something Revive records (bands, utilisation, filings, arrears, interventions, open
obstacles, the park's utilities that fall short, the unit's sector, province and size); nothing from a generator's hidden state. Each feature belongs to a
group, and a group is what a reason in words talks about.
"""

from __future__ import annotations

import warnings

import numpy as np

from .panel import KINDS, Panel

# (name, group); the groups are the reasons' vocabulary
FEATURES: list[tuple[str, str]] = [
    ("band_now", "band"),
    ("band_3ago", "band"),
    ("band_drop_3", "band"),
    ("band_min_12", "band"),
    ("band_change_6", "band"),
    ("band_change_12", "band"),
    ("band_mean_12", "band"),
    ("band_drops_12", "band"),
    ("months_in_band", "band"),
    ("util_now", "utilisation"),
    ("util_mean_3", "utilisation"),
    ("util_change_3", "utilisation"),
    ("util_change_6", "utilisation"),
    ("util_above_band_floor", "utilisation"),
    ("util_vs_own_12", "utilisation"),
    ("util_change_12", "utilisation"),
    ("util_slope_6", "utilisation"),
    ("util_slope_12", "utilisation"),
    ("util_std_6", "utilisation"),
    ("util_std_12", "utilisation"),
    ("util_min_6", "utilisation"),
    ("util_vs_own_24", "utilisation"),
    ("util_falling_run", "utilisation"),
    ("missing_filings_3", "filings"),
    ("missing_filings_6", "filings"),
    ("missing_filings_12", "filings"),
    ("months_since_filed", "filings"),
    ("missing_vs_own_24", "filings"),
    ("filing_trouble_run", "filings"),
    ("late_3", "late"),
    ("late_6", "late"),
    ("late_12", "late"),
    ("late_vs_own_24", "late"),
    ("arrears_now", "arrears"),
    ("arrears_6", "arrears"),
    ("arrears_12", "arrears"),
    ("arrears_run", "arrears"),
    ("idle_months_24", "history"),
    ("months_since_idle", "history"),
    ("stops_24", "history"),
    ("months_observed", "history"),
    ("interventions_12", "support"),
    ("loans_24", "support"),
    ("obstacles_now", "obstacles"),
    ("obstacles_change_6", "obstacles"),
    ("park_shortfalls", "park"),
    ("sector", "sector"),
    ("sector_stop_rate_12", "sector"),
    ("province", "province"),
    ("province_stop_rate_12", "province"),
    ("size", "size"),
    ("log_jobs", "size"),
]
NAMES = [n for n, _ in FEATURES]
GROUPS = list(dict.fromkeys(g for _, g in FEATURES))
CATEGORICAL = [NAMES.index("sector"), NAMES.index("province")]
COL = {n: i for i, n in enumerate(NAMES)}


class FeatureBuilder:
    """Cumulative sums once (unit x month), then each month's features are slices."""

    def __init__(self, panel: Panel):
        self.panel = panel
        b = panel.band
        U, T = b.shape
        self.observed = b >= 0
        self.producing = b >= 1
        self.idle = b == 0
        z = np.zeros((U, 1), dtype=np.int32)
        self.cs_idle = np.concatenate([z, np.cumsum(self.idle, axis=1, dtype=np.int32)], axis=1)
        self.cs_obs = np.concatenate([z, np.cumsum(self.observed, axis=1, dtype=np.int32)], axis=1)
        filed = panel.filed.astype(bool) & self.observed
        self.cs_filed = np.concatenate([z, np.cumsum(filed, axis=1, dtype=np.int32)], axis=1)
        self.cs_late = np.concatenate([z, np.cumsum(panel.late, axis=1, dtype=np.int32)], axis=1)
        self.cs_arr = np.concatenate([z, np.cumsum(panel.arrears, axis=1, dtype=np.int32)], axis=1)
        iv = np.zeros((U, T), dtype=np.int32)
        np.add.at(iv, (panel.iv_unit, panel.iv_month), 1)
        self.cs_iv = np.concatenate([z, np.cumsum(iv, axis=1, dtype=np.int32)], axis=1)
        loan = np.isin(panel.iv_kind, [KINDS.index("working_capital"), KINDS.index("fixed_capital")])
        lv = np.zeros((U, T), dtype=np.int32)
        np.add.at(lv, (panel.iv_unit[loan], panel.iv_month[loan]), 1)
        self.cs_loan = np.concatenate([z, np.cumsum(lv, axis=1, dtype=np.int32)], axis=1)
        self.cs_prod = np.concatenate([z, np.cumsum(self.producing, axis=1, dtype=np.int32)], axis=1)
        filed_prod = filed & self.producing
        self.cs_filed_prod = np.concatenate([z, np.cumsum(filed_prod, axis=1, dtype=np.int32)], axis=1)
        # the unit's own utilisation history: sums of the figures and their squares, for its mean and spread
        uz = np.nan_to_num(panel.utilisation.astype(np.float64))
        zf = np.zeros((U, 1))
        self.cs_un = np.concatenate(
            [z, np.cumsum(~np.isnan(panel.utilisation), axis=1, dtype=np.int32)], axis=1
        )
        self.cs_u = np.concatenate([zf, np.cumsum(uz, axis=1)], axis=1)
        self.cs_u2 = np.concatenate([zf, np.cumsum(uz * uz, axis=1)], axis=1)
        # last month with a filing / with an idle band / with a utilisation figure, carried forward
        cols = np.arange(T, dtype=np.int32)[None, :]
        self.last_filed = np.maximum.accumulate(np.where(filed, cols, -1), axis=1)
        self.last_idle = np.maximum.accumulate(np.where(self.idle, cols, -1), axis=1)
        has_util = ~np.isnan(panel.utilisation)
        last_u = np.maximum.accumulate(np.where(has_util, cols, -1), axis=1)
        self.util_ff = np.where(
            last_u >= 0, np.take_along_axis(panel.utilisation, np.maximum(last_u, 0), axis=1), np.nan
        ).astype(np.float32)
        # band carried forward over missing months (a month without a record keeps the last band)
        last_b = np.maximum.accumulate(np.where(self.observed, cols, -1), axis=1)
        self.band_ff = np.where(last_b >= 0, np.take_along_axis(b, np.maximum(last_b, 0), axis=1), -1).astype(
            np.int8
        )
        prev = np.concatenate([np.full((U, 1), -1, dtype=np.int8), self.band_ff[:, :-1]], axis=1)
        moved = (self.band_ff != prev) & (prev >= 0)
        self.last_change = np.maximum.accumulate(np.where(moved, cols, -1), axis=1)
        dropped = moved & (self.band_ff < prev)
        self.cs_drop = np.concatenate([z, np.cumsum(dropped, axis=1, dtype=np.int32)], axis=1)
        stops = self.idle & (prev >= 1)
        self.cs_stop = np.concatenate([z, np.cumsum(stops, axis=1, dtype=np.int32)], axis=1)
        self.last_clear = np.maximum.accumulate(np.where(panel.arrears == 0, cols, -1), axis=1)
        # runs ending at each month: utilisation lower than the month before (figures carried forward), and
        # producing months whose filing was late or missing
        self.falling_run = self._runs(
            np.concatenate([np.zeros((U, 1), bool), self.util_ff[:, 1:] < self.util_ff[:, :-1]], axis=1)
        )
        self.trouble_run = self._runs(self.producing & (~filed | (panel.late == 1)))
        self.first_obs = np.where(self.observed.any(axis=1), self.observed.argmax(axis=1), T)
        _, self.sector_code = np.unique(panel.sector.astype(str), return_inverse=True)
        _, self.province_code = np.unique(panel.province.astype(str), return_inverse=True)
        self.log_jobs = np.log1p(panel.jobs.astype(np.float64))
        # the share of producing units of the same sector / province that stopped in the last 12 months,
        # from months up to t only (a base rate out of time, which moves when a region or trade turns)
        self.sector_rate = self._group_rate(self.sector_code, stops, prev >= 1)
        self.province_rate = self._group_rate(self.province_code, stops, prev >= 1)

    @staticmethod
    def _runs(flag: np.ndarray) -> np.ndarray:
        """Length of the run of True ending at each month (0 where False), capped at 24."""
        out = np.zeros(flag.shape, dtype=np.int16)
        run = np.zeros(flag.shape[0], dtype=np.int16)
        for t in range(flag.shape[1]):
            run = np.where(flag[:, t], np.minimum(run + 1, 24), 0).astype(np.int16)
            out[:, t] = run
        return out

    def _own(self, cs: np.ndarray, t: int, rows, recent: int = 3, history: int = 24) -> np.ndarray:
        """The sum over the unit's `history` months before its last `recent` ones."""
        a, b = max(t + 1 - recent - history, 0), max(t + 1 - recent, 0)
        return cs[rows, b] - cs[rows, a]

    @staticmethod
    def _group_rate(code: np.ndarray, stops: np.ndarray, exposed: np.ndarray, w: int = 12) -> np.ndarray:
        G, T = int(code.max()) + 1 if len(code) else 1, stops.shape[1]
        s = np.zeros((G, T + 1))
        e = np.zeros((G, T + 1))
        np.add.at(s, code, np.concatenate([np.zeros((len(code), 1)), stops], axis=1))
        np.add.at(e, code, np.concatenate([np.zeros((len(code), 1)), exposed], axis=1))
        s, e = np.cumsum(s, axis=1), np.cumsum(e, axis=1)
        lo = np.maximum(np.arange(T) + 1 - w, 0)
        num = s[:, 1:] - s[:, lo]
        den = e[:, 1:] - e[:, lo]
        with np.errstate(all="ignore"):
            return np.where(den >= 20, num / den, np.nan)  # G x T; too few units to say: unknown

    def _util_stats(self, t: int, w: int, rows) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Least-squares slope (points a month), standard deviation and minimum of the utilisation
        figures in the last w months (months without a figure left out; NaN under 3 figures)."""
        u = self.panel.utilisation[rows, max(t + 1 - w, 0) : t + 1].astype(np.float64)
        m = ~np.isnan(u)
        x = np.arange(u.shape[1], dtype=np.float64)[None, :]
        uz = np.where(m, u, 0.0)
        n = m.sum(axis=1)
        sx, su = (m * x).sum(axis=1), uz.sum(axis=1)
        sxx, sxu, suu = (m * x * x).sum(axis=1), (uz * x).sum(axis=1), (uz * uz).sum(axis=1)
        with np.errstate(all="ignore"):
            slope = (n * sxu - sx * su) / (n * sxx - sx * sx)
            var = suu / n - (su / n) ** 2
        few = n < 3
        slope[few] = np.nan
        std = np.sqrt(np.maximum(var, 0.0))
        std[few] = np.nan
        lo = np.where(m, u, np.inf).min(axis=1)
        lo[n == 0] = np.nan
        return slope, std, lo

    def _window(self, cs: np.ndarray, t: int, w: int, rows) -> np.ndarray:
        return cs[rows, t + 1] - cs[rows, max(t + 1 - w, 0)]

    def at(self, t: int, rows: np.ndarray | None = None) -> np.ndarray:
        """Features (rows x len(NAMES), float32) of the given units at month column t."""
        if rows is None:
            rows = np.arange(self.panel.n_units)
        bf = self.band_ff
        lag = lambda a, k: a[rows, max(t - k, 0)]  # noqa: E731
        band_now = bf[rows, t].astype(np.float32)
        win3 = bf[rows, max(t - 3, 0) : t + 1]
        win12 = self.panel.band[rows, max(t - 11, 0) : t + 1].astype(np.float32)
        win12[win12 < 0] = np.nan
        util_now = self.util_ff[rows, t]
        u = self.panel.utilisation[rows, max(t - 2, 0) : t + 1]
        with np.errstate(all="ignore"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                util_mean_3 = np.nanmean(u, axis=1)
                band_min_12 = np.nanmin(win12, axis=1)
        span3 = np.minimum(3, t + 1 - np.minimum(self.first_obs[rows], t))
        span6 = np.minimum(6, t + 1 - np.minimum(self.first_obs[rows], t))
        lf, li = self.last_filed[rows, t], self.last_idle[rows, t]
        out = np.empty((len(rows), len(NAMES)), dtype=np.float32)
        out[:, COL["band_now"]] = band_now
        out[:, COL["band_3ago"]] = lag(bf, 3)
        out[:, COL["band_drop_3"]] = win3.max(axis=1) - band_now
        out[:, COL["band_min_12"]] = band_min_12
        band_6 = lag(bf, 6).astype(np.float32)
        band_12 = lag(bf, 12).astype(np.float32)
        out[:, COL["band_change_6"]] = np.where(band_6 >= 0, band_now - band_6, np.nan)
        out[:, COL["band_change_12"]] = np.where(band_12 >= 0, band_now - band_12, np.nan)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[:, COL["band_mean_12"]] = np.nanmean(win12, axis=1)
        out[:, COL["band_drops_12"]] = self._window(self.cs_drop, t, 12, rows)
        lc = self.last_change[rows, t]
        out[:, COL["months_in_band"]] = np.where(lc >= 0, t - lc, 24).clip(0, 24)
        out[:, COL["util_now"]] = util_now
        out[:, COL["util_mean_3"]] = util_mean_3
        out[:, COL["util_change_3"]] = util_now - lag(self.util_ff, 3)
        out[:, COL["util_change_6"]] = util_now - lag(self.util_ff, 6)
        # how far above the bottom of its band (0, 50, 71): a unit at its band's floor is about to slip
        out[:, COL["util_above_band_floor"]] = util_now - np.select(
            [band_now == 2, band_now == 3], [50.0, 71.0], default=0.0
        )
        u12 = self.panel.utilisation[rows, max(t - 11, 0) : t + 1]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            out[:, COL["util_vs_own_12"]] = util_now - np.nanmean(u12, axis=1)
        out[:, COL["util_change_12"]] = util_now - lag(self.util_ff, 12)
        s6, sd6, lo6 = self._util_stats(t, 6, rows)
        s12, sd12, _ = self._util_stats(t, 12, rows)
        out[:, COL["util_slope_6"]], out[:, COL["util_std_6"]], out[:, COL["util_min_6"]] = s6, sd6, lo6
        out[:, COL["util_slope_12"]], out[:, COL["util_std_12"]] = s12, sd12
        span12 = np.minimum(12, t + 1 - np.minimum(self.first_obs[rows], t))
        out[:, COL["missing_filings_12"]] = span12 - self._window(self.cs_filed, t, 12, rows)
        out[:, COL["late_12"]] = self._window(self.cs_late, t, 12, rows)
        out[:, COL["arrears_12"]] = self._window(self.cs_arr, t, 12, rows)
        out[:, COL["arrears_run"]] = np.minimum(t - self.last_clear[rows, t], 24)
        out[:, COL["stops_24"]] = self._window(self.cs_stop, t, 24, rows)
        out[:, COL["missing_filings_3"]] = span3 - self._window(self.cs_filed, t, 3, rows)
        out[:, COL["missing_filings_6"]] = span6 - self._window(self.cs_filed, t, 6, rows)
        out[:, COL["months_since_filed"]] = np.where(lf >= 0, t - lf, 24).clip(0, 24)
        out[:, COL["late_3"]] = self._window(self.cs_late, t, 3, rows)
        out[:, COL["late_6"]] = self._window(self.cs_late, t, 6, rows)
        out[:, COL["arrears_now"]] = self.panel.arrears[rows, t]
        out[:, COL["arrears_6"]] = self._window(self.cs_arr, t, 6, rows)
        out[:, COL["idle_months_24"]] = self._window(self.cs_idle, t, 24, rows)
        out[:, COL["months_since_idle"]] = np.where(li >= 0, t - li, 60).clip(0, 60)
        out[:, COL["months_observed"]] = self._window(self.cs_obs, t, 60, rows)
        out[:, COL["interventions_12"]] = self._window(self.cs_iv, t, 12, rows)
        out[:, COL["sector"]] = self.sector_code[rows]
        out[:, COL["province"]] = self.province_code[rows]
        out[:, COL["sector_stop_rate_12"]] = self.sector_rate[self.sector_code[rows], t]
        out[:, COL["province_stop_rate_12"]] = self.province_rate[self.province_code[rows], t]
        # departures from the unit's own habit: the last 3 months against the 24 before them
        with np.errstate(all="ignore"):
            n_own = self._own(self.cs_un, t, rows).astype(np.float64)
            mean_own = self._own(self.cs_u, t, rows) / n_own
            sd_own = np.sqrt(np.maximum(self._own(self.cs_u2, t, rows) / n_own - mean_own**2, 0.0))
            out[:, COL["util_vs_own_24"]] = np.where(
                n_own >= 3, (util_mean_3 - mean_own) / (sd_own + 2.0), np.nan
            )
            prod_own = self._own(self.cs_prod, t, rows).astype(np.float64)
            filed_own = self._own(self.cs_filed_prod, t, rows).astype(np.float64)
            prod_3 = self._window(self.cs_prod, t, 3, rows).astype(np.float64)
            filed_3 = self._window(self.cs_filed_prod, t, 3, rows).astype(np.float64)
            miss_own = np.where(prod_own >= 3, 1 - filed_own / prod_own, np.nan)
            out[:, COL["missing_vs_own_24"]] = np.where(prod_3 > 0, 1 - filed_3 / prod_3, 0.0) - miss_own
            late_own = np.where(filed_own >= 3, self._own(self.cs_late, t, rows) / filed_own, np.nan)
            late_3 = self._window(self.cs_late, t, 3, rows)
            out[:, COL["late_vs_own_24"]] = np.where(filed_3 > 0, late_3 / filed_3, 0.0) - late_own
        out[:, COL["util_falling_run"]] = self.falling_run[rows, t]
        out[:, COL["filing_trouble_run"]] = self.trouble_run[rows, t]
        out[:, COL["loans_24"]] = self._window(self.cs_loan, t, 24, rows)
        # the optional columns (NaN where the panel does not say: the trees send unknowns their own way)
        obstacles = self.panel.obstacles
        out[:, COL["obstacles_now"]] = obstacles[rows, t]
        out[:, COL["obstacles_change_6"]] = obstacles[rows, t] - lag(obstacles, 6)
        out[:, COL["park_shortfalls"]] = self.panel.park_shortfalls[rows, t]
        out[:, COL["size"]] = self.panel.size[rows]
        out[:, COL["log_jobs"]] = self.log_jobs[rows]
        return out

    def eligible(self, t: int) -> np.ndarray:
        """Units producing at month t (the ones a warning is about)."""
        return np.nonzero(self.producing[:, t])[0]

    def label(self, t: int, rows: np.ndarray, horizon: int) -> np.ndarray:
        """1 when the unit is idle in any of the months t+1 .. t+horizon (needs t + horizon < T)."""
        return (self.cs_idle[rows, t + horizon + 1] - self.cs_idle[rows, t + 1] > 0).astype(np.int8)
