"""Prefect flows composing the pipeline library (which itself never imports Prefect)."""
