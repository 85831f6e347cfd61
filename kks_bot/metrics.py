"""Counters for the Prometheus endpoint (channels/web/health.py), in the official client
library's default registry. Labels are kinds and outcomes, never ids or content."""

from __future__ import annotations

from prometheus_client import Counter

UPDATES = Counter("kks_updates_total", "Updates from users, by outcome", ["outcome"])
DELIVERIES = Counter("kks_outbox_settled_total", "Outbox rows settled, by outcome "
                     "(sent, pending: retried, failed, uncertain)", ["outcome"])
FAILURES = Counter("kks_outbox_failures_total", "Failed delivery attempts, by kind of failure",
                   ["failure"])
FAQ_FEEDBACK = Counter("kks_faq_feedback_total", "Answers marked helpful (up) or not (down), "
                       "by language and entry", ["locale", "entry", "vote"])
FAQ_ANSWERS = Counter("kks_faq_questions_total", "FAQ questions by language and outcome "
                      "(the entry answered, or unknown)", ["locale", "outcome"])
AUDITED = Counter("kks_audit_events_total",
                  "Audited actions (faq: answered, faq_unknown: not), by action", ["action"])
