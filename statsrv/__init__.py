"""statsrv: a real-time statistics server for outbound contact centres."""

__version__ = "0.1.0"
