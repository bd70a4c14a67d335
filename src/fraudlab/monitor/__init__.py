"""Monitoring of the scored stream: alert rate, delayed-label precision/recall, PSI drift, score
shift and latency per window (`Monitor`, `fraudlab monitor`); plots in `fraudlab.monitor.plots`."""

from fraudlab.monitor.analysis import AnalysisConfig, WindowAnalyzer
from fraudlab.monitor.drift import PSI_FLAG, Binning, Reference
from fraudlab.monitor.drift_tests import DriftConfig, HourlyReference
from fraudlab.monitor.errors import MonitorError
from fraudlab.monitor.monitor import Monitor, MonitorConfig
from fraudlab.monitor.windows import confusion

__all__ = [
    "PSI_FLAG",
    "AnalysisConfig",
    "Binning",
    "DriftConfig",
    "HourlyReference",
    "Monitor",
    "MonitorConfig",
    "MonitorError",
    "Reference",
    "WindowAnalyzer",
    "confusion",
]
