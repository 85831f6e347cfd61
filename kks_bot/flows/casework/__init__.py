"""The hand-off and the case: a submitted registration reaches the coordinators of the
family's municipality at once; they view it, take it on, ask, refer and close; the
registrant sees the status, answers, adds and withdraws."""
