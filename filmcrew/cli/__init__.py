"""The `filmcrew` command line: a root app and one module per command."""
