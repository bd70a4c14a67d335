"""Monitoring of the scored stream: alert rate, delayed-label precision/recall, drift (PSI, and like-hours
tests corrected for multiple testing), score shift, estimates before labels and latency per window
(`Monitor`, `fraudlab monitor`), the offline replay (`fraudlab monitor replay`); the training reference
all of it compares with is `Reference` (`fraudlab.monitor.reference`); plots in `fraudlab.monitor.plots`."""

from fraudlab.monitor.analysis import AnalysisConfig, WindowAnalyzer
from fraudlab.monitor.config import MonitorConfig
from fraudlab.monitor.drift import PSI_FLAG, Binning
from fraudlab.monitor.drift_tests import DriftConfig
from fraudlab.monitor.errors import MonitorError
from fraudlab.monitor.monitor import Monitor
from fraudlab.monitor.reference import HourlyReference, Reference, read_reference, training_reference
from fraudlab.monitor.windows import confusion, precision_recall

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
    "precision_recall",
    "read_reference",
    "training_reference",
]
