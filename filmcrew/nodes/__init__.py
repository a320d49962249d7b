"""Graph nodes: thin adapters between the crew state and the agents' pure functions.

Each node loads what it needs by reference, calls an agent, writes its artefact atomically into
the run folder, and returns a partial state update. Wiring lives in `filmcrew.graph` only.
"""
