"""The dashboard page: headline figures, then alert rate, precision/recall (realized and estimated
before labels), drift by feature x window, the score distribution and PSI, latency and lag."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from fraudlab.dashboard.feed import MetricsFeed, summary

LABELS = {
    "windows": "windows", "records": "transactions", "alerts": "alerts", "alert_rate": "alert rate (last window)",
    "precision": "precision (realized)", "estimated_precision": "precision (estimated)",
    "recall": "recall (realized)", "estimated_recall": "recall (estimated)", "drift_flags": "drift flags",
    "score_psi": "score PSI", "score_psi_band": "PSI band", "latency_p99_ms": "p99 latency ms", "lag": "consumer lag",
}


@dataclass(frozen=True)
class DashboardConfig:
    address: str = "127.0.0.1"  # loopback only: the page has no authentication
    port: int = 5006
    refresh_ms: int = 200  # how often each page checks the feed for new records
    title: str = "fraudlab monitor"


def _kpi_html(figures: dict[str, str]) -> str:
    cells = "".join(
        f'<div class="kpi"><div class="kpi-label">{LABELS[k]}</div>'
        f'<div class="kpi-value" data-metric="{k}">{v}</div></div>'
        for k, v in figures.items()
    )
    return f'<div class="kpis" style="display:flex;flex-wrap:wrap;gap:12px">{cells}</div>'


def _series(windows: list[dict[str, Any]], key: str) -> list[float]:
    return [np.nan if w.get(key) is None else float(w[key]) for w in windows]


class Dashboard:
    """One page's objects; `update()` redraws them from the feed when it has changed."""

    def __init__(self, feed: MetricsFeed, config: DashboardConfig | None = None) -> None:
        import panel as pn
        from bokeh.models import ColumnDataSource
        from bokeh.plotting import figure

        self.feed = feed
        self.config = config or DashboardConfig()
        self._version = -1
        self.kpis = pn.pane.HTML(_kpi_html(summary([], [])), sizing_mode="stretch_width", name="kpis")
        self.src_w = ColumnDataSource(self._window_data([]))
        self.src_s = ColumnDataSource(self._service_data([]))
        self.src_d = ColumnDataSource({"window": [], "feature": [], "distance": [], "flag": [], "color": []})
        opts = {"height": 230, "sizing_mode": "stretch_width", "x_axis_type": "datetime", "tools": "pan,wheel_zoom,reset"}
        f_rate = figure(title="alert rate per window", **opts)
        f_rate.line("t", "alert_rate", source=self.src_w, line_width=2)
        f_rate.scatter("t", "alert_rate", source=self.src_w, size=5)
        f_pr = figure(title="precision / recall: realized (solid) and estimated before labels (dashed)", **opts)
        for key, color in (("precision", "#1f77b4"), ("recall", "#d62728")):
            f_pr.line("t", key, source=self.src_w, color=color, line_width=2, legend_label=key)
            f_pr.scatter("t", key, source=self.src_w, color=color, size=5, legend_label=key)
            f_pr.line("t", f"estimated_{key}", source=self.src_w, color=color, line_dash="dashed",
                      legend_label=f"estimated {key}")
        f_pr.legend.location = "bottom_left"
        f_score = figure(title="score distribution per window (p50, p99) and PSI vs training", **opts)
        f_score.line("t", "score_p50", source=self.src_w, legend_label="p50")
        f_score.line("t", "score_p99", source=self.src_w, color="#ff7f0e", legend_label="p99")
        f_score.line("t", "score_psi", source=self.src_w, color="#2ca02c", line_dash="dotted", legend_label="PSI")
        f_lat = figure(title="scoring latency p99 (ms) and consumer lag (records)", **opts)
        f_lat.line("t", "latency_p99_ms", source=self.src_s, legend_label="p99 ms")
        f_lat.line("t", "lag", source=self.src_s, color="#9467bd", legend_label="lag")
        self.f_drift = figure(title="drift by feature x window (normed Wasserstein over the feature's threshold; red: flagged)", height=420,
                              sizing_mode="stretch_width", x_range=[], y_range=[], tools="hover",
                              tooltips=[("window", "@window"), ("feature", "@feature"), ("distance", "@distance")])
        self.f_drift.rect("window", "feature", 1, 1, source=self.src_d, fill_color="color", line_color=None)
        self.f_drift.xaxis.major_label_orientation = 1.0
        self.layout_ = pn.Column(
            pn.pane.Markdown(f"## {self.config.title}"), self.kpis,
            pn.Row(f_rate, f_pr, sizing_mode="stretch_width"),
            pn.Row(f_score, f_lat, sizing_mode="stretch_width"),
            self.f_drift, sizing_mode="stretch_width",
        )
        self.update()

    @staticmethod
    def _window_data(windows: list[dict[str, Any]]) -> dict[str, Any]:
        t = [np.datetime64(int(w.get("window_start", 0)), "ms") for w in windows]
        keys = ("alert_rate", "precision", "recall", "estimated_precision", "estimated_recall", "score_p50",
                "score_p99", "score_psi")
        return {"t": t, **{k: _series(windows, k) for k in keys}}

    @staticmethod
    def _service_data(service: list[dict[str, Any]]) -> dict[str, Any]:
        t = [np.datetime64(int(r.get("reported_at", 0)), "ms") for r in service]
        return {"t": t, "latency_p99_ms": _series(service, "latency_p99_ms"), "lag": _series(service, "lag")}

    def _drift_data(self, windows: list[dict[str, Any]]) -> dict[str, list[Any]]:
        data: dict[str, list[Any]] = {"window": [], "feature": [], "distance": [], "flag": [], "color": []}
        for w in windows[-72:]:
            label = str(np.datetime64(int(w["window_start"]), "ms").astype("datetime64[m]"))
            flagged = set(w.get("drifted_features") or [])
            for name, r in (w.get("feature_drift") or {}).items():
                d = float(r.get("wasserstein", 0.0))
                data["window"].append(label)
                data["feature"].append(name)
                data["distance"].append(round(d, 4))
                data["flag"].append(name in flagged)
                # shaded by the distance over the feature's own threshold (0.1, or its day-to-day variation)
                shade = int(255 - min(d / float(r.get("threshold") or 0.1), 1.0) * 180)
                data["color"].append("#d62728" if name in flagged else f"#{shade:02x}{shade:02x}ff")
        return data

    def update(self) -> bool:
        version, windows, service = self.feed.snapshot()
        if version == self._version:
            return False
        self._version = version
        self.kpis.object = _kpi_html(summary(windows, service))
        self.src_w.data = self._window_data(windows)
        self.src_s.data = self._service_data(service)
        drift = self._drift_data(windows)
        self.f_drift.x_range.factors = list(dict.fromkeys(drift["window"]))
        self.f_drift.y_range.factors = list(dict.fromkeys(drift["feature"]))
        self.src_d.data = drift
        return True

    def layout(self) -> Any:
        """The Panel layout (display it in a notebook after `panel.extension()`)."""
        return self.layout_


def serve(feed: MetricsFeed, config: DashboardConfig | None = None, threaded: bool = True) -> Any:
    """Serve the page; each browser session gets its own objects, refreshed every `refresh_ms`.
    Returns Panel's server (threaded: a thread with `.stop()`)."""
    import panel as pn

    config = config or DashboardConfig()

    def page() -> Any:
        board = Dashboard(feed, config)
        pn.state.add_periodic_callback(board.update, period=config.refresh_ms)
        return board.layout()

    server = pn.serve({"/": page}, address=config.address, port=config.port, show=False, threaded=threaded,
                      title=config.title, start=True,
                      websocket_origin=[f"{config.address}:{config.port}", f"localhost:{config.port}"])
    if threaded:
        _wait_listening(config.address, config.port, timeout_s=60.0)
    return server


def _wait_listening(address: str, port: int, timeout_s: float) -> None:
    import socket
    import time

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with socket.create_connection((address, port), timeout=1.0):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise TimeoutError(f"the dashboard did not listen on {address}:{port} within {timeout_s:.0f} s") from None
            time.sleep(0.05)
