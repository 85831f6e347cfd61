"""Registering a family: consent, the aanmeldformulier step by step in a draft (pause and
resume, back, skip, correct), the review, and submitting it to the hand-off."""
