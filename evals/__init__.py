"""Eval cases, recordings, graders and the baseline."""
