"""Monitoring of the scored stream: alert rate, delayed-label precision/recall, PSI drift, score
shift and latency per window (`Monitor`, `fraudlab monitor`); plots in `fraudlab.monitor.plots`."""

from fraudlab.monitor.config import MonitorConfig
from fraudlab.monitor.drift import PSI_FLAG, Binning
from fraudlab.monitor.errors import MonitorError
from fraudlab.monitor.monitor import Monitor
from fraudlab.monitor.reference import Reference, read_reference, training_reference
from fraudlab.monitor.windows import confusion, precision_recall

__all__ = ["PSI_FLAG", "Binning", "Monitor", "MonitorConfig", "MonitorError", "Reference", "confusion",
           "precision_recall", "read_reference", "training_reference"]
