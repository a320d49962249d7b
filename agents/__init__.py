"""The crew's agents: writer, breakdown, characters, shot planner, continuity, storyboard."""
