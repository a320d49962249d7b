"""The chat session: a saved run driven one turn at a time, by slash commands or plain words.

`session` drives the crew and keeps the journal, `commands` holds the slash commands (no model
needed), `actions` the plain-language path (a text model chooses among the same actions),
`render` what is shown, `loop` the read-eval-print loop `filmcrew chat` runs.
"""
