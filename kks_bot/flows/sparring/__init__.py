"""Sparring, "overleggen of aanmelden?": the guided check, answers from the FAQ (a sentence
model and a lexical matcher, on the machine), anonymous threads with a coordinator, and
the acute-safety way out on every step."""
