"""Graders: each turns an eval corpus and what the crew made of it into scores."""
