"""Headless command line of the desk."""
