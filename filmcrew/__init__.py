"""filmcrew: an agentic film crew from logline or screenplay to shot list, storyboard and animatic."""

__version__ = "0.1.0"
