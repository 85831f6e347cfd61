"""Declarative forms walked one question per message: positions and what comes next
(positions.py), asking (screen.py), typed answers and buttons (answers.py), answers as a
reader sees them (display.py), parsing what people type (parsers.py, dates.py), and a
walk kept in the conversation state as a flow (flow.py)."""
