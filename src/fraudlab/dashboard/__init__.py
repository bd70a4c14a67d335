"""The live dashboard (`fraudlab dashboard`): the metrics topic on a page that updates by itself.

Built on Panel (on a Bokeh server): the page is Python objects pushed to the browser over a
websocket, so a new metrics record reaches the page without polling or hand-written JavaScript, and
the same layout renders inside a notebook (`Dashboard.layout()`). Dash was the alternative: its
updates are timed HTTP polls from the browser and notebook display needs its own server.
"""

from fraudlab.dashboard.app import Dashboard, DashboardConfig, serve
from fraudlab.dashboard.feed import MetricsFeed, summary

__all__ = ["Dashboard", "DashboardConfig", "MetricsFeed", "serve", "summary"]
