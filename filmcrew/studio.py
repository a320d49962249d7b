"""The crew graph for LangGraph Studio (`langgraph dev`): compiled without a checkpointer,
because the dev server brings its own storage."""

from __future__ import annotations

from filmcrew.graph import build

graph = build().compile()
