"""One dialog per module."""
